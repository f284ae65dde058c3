import type { ResolvedOptions } from '../options.js';
import type { ReceptionMode } from '../types.js';
import { Pool } from './busy-split.js';
import type { ModeContext } from './reception-mode.js';

/** The candidate pools of a shop (rule 5) and the reception mode of each, fixed by the options. */
export interface PoolPlan {
  readonly pools: readonly Pool[];
  readonly poolOfState: ReadonlyMap<string, Pool>;
  readonly contexts: readonly ModeContext[];
  readonly contextOfPool: ReadonlyMap<Pool, ModeContext>;
  readonly groupIds: ReadonlySet<string>;
}

/**
 * Rule 5 (分组绑定): an order state that groups bind routes among those groups' agents; one that no
 * group binds routes among every agent of the shop. States bound to the same groups share one pool,
 * and so one fair share. A pool's reception mode (rule 4) is that of the first of its groups, in
 * option order, that sets one; else the shop's.
 */
export function buildPools(o: ResolvedOptions): PoolPlan {
  const shop: ModeContext = { key: '*', mode: o.receptionMode, robotRatio: o.robotRatio ?? 0, routed: 0, robots: 0 };
  const contexts: ModeContext[] = [shop];
  const byKey = new Map<string, Pool>();
  const poolOfState = new Map<string, Pool>();
  const contextOfPool = new Map<Pool, ModeContext>();
  for (const state of o.orderStates) {
    const bound = o.groups.filter((g) => g.orderStates.includes(state));
    const key = bound.length === 0 ? '*' : JSON.stringify(bound.map((g) => g.id));
    let pool = byKey.get(key);
    if (pool === undefined) {
      pool = new Pool(key, bound.length === 0 ? undefined : new Set(bound.map((g) => g.id)));
      byKey.set(key, pool);
      const owner = bound.find((g) => g.receptionMode !== undefined);
      let ctx = shop;
      if (owner !== undefined) {
        ctx = contexts.find((c) => c.key === owner.id) ?? {
          key: owner.id, mode: owner.receptionMode as ReceptionMode, robotRatio: owner.robotRatio ?? o.robotRatio ?? 0, routed: 0, robots: 0,
        };
        if (!contexts.includes(ctx)) contexts.push(ctx);
      }
      contextOfPool.set(pool, ctx);
    }
    poolOfState.set(state, pool);
  }
  return { pools: [...byKey.values()], poolOfState, contexts, contextOfPool, groupIds: new Set(o.groups.map((g) => g.id)) };
}
