import type { ResolvedGroup, ResolvedOptions } from '../options.js';
import type { ReceptionMode } from '../types.js';
import { Pool } from './busy-split.js';
import type { ModeContext } from './reception-mode.js';

/** One overflow tier of an order state: after `afterMs` of waiting, its consultations may go to `pool`. */
export interface OverflowTier {
  readonly afterMs: number;
  readonly pool: Pool;
}

/** What an order state routes to: its candidate pool (rule 5), its overflow tiers and its reception mode (rule 4). */
export interface StateTarget {
  readonly pool: Pool;
  /** Wider pools, in ascending `afterMs`, each including the one before. */
  readonly tiers: readonly OverflowTier[];
  readonly mode: ModeContext;
}

/** The candidate pools of a shop (rule 5) and the mode of each, fixed by the options. */
export interface PoolPlan {
  readonly pools: readonly Pool[];
  readonly targetOfState: ReadonlyMap<string, StateTarget>;
  readonly contexts: readonly ModeContext[];
  readonly groupIds: ReadonlySet<string>;
}

/**
 * Rule 5 (分组绑定): an order state that groups bind routes among those groups' agents; one that no
 * group binds routes among every agent of the shop. A pool is a set of agents by the groups that
 * admit them, so states bound to the same groups — and an overflow tier that reaches the same set —
 * share one pool, and so one fair share. A bound state's overflow tiers are the union of its groups'
 * steps: each tier adds the groups its step names (or every agent) to the tier before. A pool's
 * reception mode (rule 4) is that of the first of its bound groups, in option order, that sets one;
 * else the shop's.
 */
export function buildPools(o: ResolvedOptions): PoolPlan {
  const shop: ModeContext = { key: '*', mode: o.receptionMode, robotRatio: o.robotRatio ?? 0, routed: 0, robots: 0 };
  const contexts: ModeContext[] = [shop];
  const pools = new Map<string, Pool>();
  const poolOf = (groups: readonly string[] | undefined): Pool => {
    const ids = groups === undefined ? undefined : o.groups.map((g) => g.id).filter((id) => groups.includes(id));
    const key = ids === undefined ? '*' : JSON.stringify(ids);
    let pool = pools.get(key);
    if (pool === undefined) pools.set(key, (pool = new Pool(key, ids === undefined ? undefined : new Set(ids))));
    return pool;
  };
  const targetOfState = new Map<string, StateTarget>();
  const byBinding = new Map<string, StateTarget>();
  for (const state of o.orderStates) {
    const bound = o.groups.filter((g) => g.orderStates.includes(state));
    const binding = JSON.stringify(bound.map((g) => g.id));
    let target = byBinding.get(binding);
    if (target === undefined) {
      target = bound.length === 0 ? { pool: poolOf(undefined), tiers: [], mode: shop } : boundTarget(bound);
      byBinding.set(binding, target);
    }
    targetOfState.set(state, target);
  }
  return { pools: [...pools.values()], targetOfState, contexts, groupIds: new Set(o.groups.map((g) => g.id)) };

  function boundTarget(bound: readonly ResolvedGroup[]): StateTarget {
    const owner = bound.find((g) => g.receptionMode !== undefined);
    let mode = shop;
    if (owner !== undefined) {
      mode = contexts.find((c) => c.key === owner.id) ?? {
        key: owner.id, mode: owner.receptionMode as ReceptionMode, robotRatio: owner.robotRatio ?? o.robotRatio ?? 0, routed: 0, robots: 0,
      };
      if (!contexts.includes(mode)) contexts.push(mode);
    }
    const steps = bound.flatMap((g) => g.overflow).sort((a, b) => a.afterMs - b.afterMs);
    const tiers: OverflowTier[] = [];
    let reach: string[] | undefined = bound.map((g) => g.id);
    for (const step of steps) {
      if (reach === undefined) break; // already every agent
      reach = step.to === '*' ? undefined : [...new Set([...reach, ...step.to])];
      const pool = poolOf(reach);
      const last = tiers[tiers.length - 1];
      if (last !== undefined && last.afterMs === step.afterMs) tiers[tiers.length - 1] = { afterMs: step.afterMs, pool };
      else if (pool !== (last?.pool ?? poolOf(bound.map((g) => g.id)))) tiers.push({ afterMs: step.afterMs, pool });
    }
    return { pool: poolOf(bound.map((g) => g.id)), tiers, mode };
  }
}
