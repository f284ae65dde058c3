import type { ResolvedGroup, ResolvedOptions } from '../options.js';
import type { AgentRecord } from '../records.js';
import type { ReceptionMode } from '../types.js';
import { Pool, type Member } from './busy-split.js';
import type { ModeContext } from './reception-mode.js';

/** One overflow tier of a target: after `afterMs` of waiting, its consultations may go to `pool`. */
export interface OverflowTier {
  readonly afterMs: number;
  /** Valid while the target is in use (see {@link Scopes.acquire}). */
  pool: Pool;
}

/**
 * Where a consultation routes: the candidate pool of the groups its reception scope matched (rule
 * 5), the overflow tiers of those groups and the reception mode that applies (rule 4). Its pools
 * are valid while the target is in use: an open consultation holds its target from its route to its
 * end.
 */
export interface Target {
  /** The pool's key: the JSON of the matched group ids in option order, or `'*'` for every agent. */
  readonly key: string;
  /** The matched groups in option order; `undefined`: none narrowed, every agent. */
  readonly groups: readonly string[] | undefined;
  pool: Pool;
  /** Wider pools, in ascending `afterMs`, each including the one before. */
  readonly tiers: readonly OverflowTier[];
  readonly mode: ModeContext;
  /** Open consultations holding it. */
  refs: number;
}

/** A step of the matching: the groups that remain before deciding `level`'s dimension. */
interface Node {
  readonly level: number;
  /** `undefined`: nothing narrowed yet, every group remains. */
  readonly groups: readonly ResolvedGroup[] | undefined;
  /** By a value some group binds in this level's dimension: the next step. */
  readonly next: Map<string, Node>;
  /** The next step when this dimension narrows nothing. */
  skip: Node | undefined;
  /** At the last level: where the consultation routes. */
  target: Target | undefined;
}

/** The scope dimensions in matching order (人群 > 商品 > 意图 > 订单). */
const DIMENSIONS = ['segments', 'products', 'intents', 'orderStates'] as const;
/** Idle pools keep their members while the idle members number at most this many, or twice the agents (plus what the budget grew by). */
const IDLE_MEMBER_FLOOR = 4096;
/**
 * The dropped pools remembered, to tell a pool made again from a new one: this many, or one per
 * agent present when there are more agents. Then pools that take turns and would fit the grown
 * budget are all remembered unless there are more of them than agents — and then they average
 * under 46 members each (the largest budget over the number of keys), so making one again on every
 * turn costs O(1) members amortised, whatever the number of agents.
 */
const DROPPED_KEYS = 256;
/** How many dropped pools' keys a shop of `agents` remembers. */
export function droppedLimit(agents: number): number {
  return Math.max(DROPPED_KEYS, agents);
}

/** The idle budget grows by at most this many members per agent. */
const MAX_GROWTH_PER_AGENT = 30;

/** What the scopes need of the shop. */
export interface ScopeHost {
  readonly agents: ReadonlyMap<string, AgentRecord>;
  /** Files an agent whose memberships changed. */
  refresh(agent: AgentRecord): void;
  /** A pool was dropped: forget what the shop keeps by it. */
  dropped(pool: Pool): void;
}

/**
 * Rule 5 generalised (接待范围): a consultation's segment, product, intent and order state, in that
 * order, each narrow the groups that remain to those binding its value — when any do; a dimension
 * that no remaining group binds is skipped. The consultation routes among the remaining groups'
 * agents, or among every agent when nothing narrowed. Groups that remain together share one pool,
 * and so one fair share (rule 6); a target's overflow tiers are the union of its groups' steps, and
 * its reception mode that of the first of its groups, in option order, that sets one — else the
 * shop's.
 *
 * Matching is a walk over cached steps, four map lookups; the steps are made on first use and are
 * bounded by the values the groups bind (a value no group binds is skipped without a step). Pools
 * are made when a target first needs one, filled from the agents of its groups, and dropped when no
 * open consultation needs them and the idle pools' members exceed their budget (least recently
 * used first), so an agent belongs only to the pools in use and those idle within the budget, and
 * thousands of products cost only the pools that their consultations reach. A pool made again
 * starts a fresh fair share, and grows the budget by its members (up to 30 per agent): pools used
 * in turn that do not fit the budget would otherwise be dropped and made again on every chat.
 */
export class Scopes {
  readonly groupIds: ReadonlySet<string>;
  /** The reception modes: the shop's (`'*'`), then each group's that sets one, in option order. */
  readonly contexts: readonly ModeContext[];
  /** Pools in existence, by key. */
  readonly pools = new Map<string, Pool>();
  /** Whether any pool files its members by room (see `Pool.choose`): then `Shop#refresh` must pass on a change of room. */
  readonly rooms = { indexed: false };
  readonly #o: ResolvedOptions;
  readonly #host: ScopeHost;
  readonly #states: ReadonlySet<string>;
  /** Each group's place in the options, by id. */
  readonly #order: ReadonlyMap<string, number>;
  /** Per dimension: by value, the groups binding it. */
  readonly #bound: readonly Map<string, Set<ResolvedGroup>>[];
  /** Per level: the steps made, by their groups' key. */
  readonly #nodes: Map<string, Node>[] = [new Map(), new Map(), new Map(), new Map(), new Map()];
  readonly #root: Node;
  readonly #targets = new Map<string, Target>();
  /** Agents by group. */
  readonly #agentsOf = new Map<string, Set<AgentRecord>>();
  /** Pools in existence by group; the every-agent pool is `#every`. */
  readonly #poolsOf = new Map<string, Set<Pool>>();
  #every: Pool | undefined;
  /** Pools no target in use holds, least recently used first: a list threaded through them (a Set would allocate as it shrinks). */
  #idleFirst: Pool | undefined;
  #idleLast: Pool | undefined;
  #idleMembers = 0;
  /** Members the idle budget grew by, as pools dropped were made again. */
  #grown = 0;
  /** Keys of the pools dropped last, oldest first (at most {@link droppedLimit}). */
  readonly #dropped = new Set<string>();

  constructor(o: ResolvedOptions, host: ScopeHost) {
    this.#o = o;
    this.#host = host;
    this.#states = new Set(o.orderStates);
    this.groupIds = new Set(o.groups.map((g) => g.id));
    this.#order = new Map(o.groups.map((g, i) => [g.id, i]));
    const contexts: ModeContext[] = [{ key: '*', mode: o.receptionMode, robotRatio: o.robotRatio ?? 0, routed: 0, robots: 0 }];
    for (const g of o.groups) {
      if (g.receptionMode !== undefined) contexts.push({ key: g.id, mode: g.receptionMode as ReceptionMode, robotRatio: g.robotRatio ?? o.robotRatio ?? 0, routed: 0, robots: 0 });
    }
    this.contexts = contexts;
    this.#bound = DIMENSIONS.map((d) => {
      const byValue = new Map<string, Set<ResolvedGroup>>();
      for (const g of o.groups) {
        for (const v of g[d]) {
          let set = byValue.get(v);
          if (set === undefined) byValue.set(v, (set = new Set()));
          set.add(g);
        }
      }
      return byValue;
    });
    this.#root = this.#node(0, undefined);
  }

  /** Whether `state` is one of the shop's order states. */
  knowsState(state: string): boolean {
    return this.#states.has(state);
  }

  /** The target of a consultation with these scope values (the order state known). Not yet in use. */
  targetFor(segment: string | undefined, product: string | undefined, intent: string | undefined, orderState: string): Target {
    let n = this.#step(this.#root, segment);
    n = this.#step(n, product);
    n = this.#step(n, intent);
    n = this.#step(n, orderState);
    return n.target ?? (n.target = this.#target(n.groups));
  }

  /** A consultation holds `target` from here: its pools exist (made if need be) and stay. */
  acquire(t: Target): void {
    if (t.refs++ > 0) return;
    t.pool = this.#hold(t.pool);
    const tiers = t.tiers as OverflowTier[];
    for (let i = 0; i < tiers.length; i++) {
      const tier = tiers[i] as OverflowTier;
      tier.pool = this.#hold(tier.pool);
    }
  }

  /** A consultation no longer holds `target`; pools nobody holds become idle, and the oldest idle ones beyond the budget are dropped. */
  release(t: Target): void {
    if (--t.refs > 0) return;
    this.#let(t.pool);
    const tiers = t.tiers;
    for (let i = 0; i < tiers.length; i++) this.#let((tiers[i] as OverflowTier).pool);
    const agents = this.#host.agents.size;
    const budget = Math.max(IDLE_MEMBER_FLOOR, 2 * agents) + Math.min(this.#grown, MAX_GROWTH_PER_AGENT * agents);
    while (this.#idleMembers > budget) {
      const oldest = this.#idleFirst as Pool;
      this.#drop(oldest);
    }
  }

  /** The pools in existence, idle ones first from the least recently used, then those in use by key: a snapshot's order. */
  inOrder(): Pool[] {
    const inUse = [...this.pools.values()].filter((p) => p.refs > 0).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const idle: Pool[] = [];
    for (let p = this.#idleFirst; p !== undefined; p = p.idleNext) idle.push(p);
    return [...idle, ...inUse];
  }

  /** What the idle budget learned, for a snapshot. */
  idleState(): { grown: number; dropped: string[] } {
    return { grown: this.#grown, dropped: [...this.#dropped] };
  }

  /** Restores what the idle budget learned (keys checked by the caller, against the snapshot's agents). */
  restoreIdle(grown: number, dropped: readonly string[]): void {
    this.#grown = grown;
    for (const key of dropped) this.#dropped.add(key);
  }

  /** Restores a pool of a snapshot (before its agents and consultations): made empty and idle. */
  restorePool(key: string): Pool {
    const pool = this.#make(key, this.parseKey(key) ?? undefined);
    this.#toIdle(pool);
    return pool;
  }

  /** The groups a pool key names (`undefined` for every agent), or `null` for a key this shop cannot have made. */
  parseKey(key: string): ReadonlySet<string> | undefined | null {
    if (key === '*') return undefined;
    let ids: unknown;
    try {
      ids = JSON.parse(key);
    } catch {
      return null;
    }
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || !this.groupIds.has(id))) return null;
    const ordered = this.#o.groups.map((g) => g.id).filter((id) => ids.includes(id));
    return JSON.stringify(ordered) === key ? new Set(ordered) : null;
  }

  /** Files an agent in its groups and the pools in existence that admit it, keeping its place in those it stays in. */
  rejoin(agent: AgentRecord, before: readonly string[]): void {
    for (const g of before) this.#agentsOf.get(g)?.delete(agent);
    const wanted = new Set<Pool>();
    if (this.#every !== undefined) wanted.add(this.#every);
    for (const g of agent.groups) {
      let agents = this.#agentsOf.get(g);
      if (agents === undefined) this.#agentsOf.set(g, (agents = new Set()));
      agents.add(agent);
      for (const p of this.#poolsOf.get(g) ?? []) wanted.add(p);
    }
    const members: Member[] = [];
    for (const m of agent.members) {
      if (wanted.delete(m.pool)) members.push(servedBy(m, agent));
      else this.#leave(m);
    }
    for (const p of wanted) members.push(this.#join(p, agent));
    // A copy of exact length: an array grown by push keeps room for 16 (128 bytes an agent).
    agent.members = members.slice();
  }

  /** A removed agent (out of the host's agents already) leaves its groups and pools. */
  forget(agent: AgentRecord): void {
    for (const g of agent.groups) this.#agentsOf.get(g)?.delete(agent);
    for (const m of agent.members) this.#leave(m);
    agent.members = [];
    // One agent fewer: the dropped keys beyond the limit of those that remain go, oldest first.
    this.#fitDropped();
  }

  #step(n: Node, value: string | undefined): Node {
    const level = n.level;
    const bound = this.#bound[level] as Map<string, Set<ResolvedGroup>>;
    if (value === undefined || bound.size === 0) return n.skip ?? this.#skip(n);
    const child = n.next.get(value);
    if (child !== undefined) return child;
    const binding = bound.get(value);
    if (binding === undefined) return n.skip ?? this.#skip(n); // no group binds it: no step kept
    // The groups binding a value are in option order: at the first step, those are the ones left.
    const narrowed = n.groups === undefined ? [...binding] : n.groups.filter((g) => binding.has(g));
    const next = narrowed.length === 0 ? (n.skip ?? this.#skip(n)) : this.#node(level + 1, narrowed);
    n.next.set(value, next);
    return next;
  }

  #skip(n: Node): Node {
    return (n.skip = this.#node(n.level + 1, n.groups));
  }

  #node(level: number, groups: readonly ResolvedGroup[] | undefined): Node {
    const nodes = this.#nodes[level] as Map<string, Node>;
    const key = groups === undefined ? '*' : JSON.stringify(groups.map((g) => g.id));
    let node = nodes.get(key);
    if (node === undefined) nodes.set(key, (node = { level, groups, next: new Map(), skip: undefined, target: undefined }));
    return node;
  }

  #target(groups: readonly ResolvedGroup[] | undefined): Target {
    const key = groups === undefined ? '*' : JSON.stringify(groups.map((g) => g.id));
    const known = this.#targets.get(key);
    if (known !== undefined) return known;
    const shop = this.contexts[0] as ModeContext;
    const tiers: OverflowTier[] = [];
    let mode = shop;
    if (groups !== undefined) {
      const owner = groups.find((g) => g.receptionMode !== undefined);
      if (owner !== undefined) mode = this.contexts.find((c) => c.key === owner.id) as ModeContext;
      const steps = groups.flatMap((g) => g.overflow).sort((a, b) => a.afterMs - b.afterMs);
      let reach: string[] | undefined = groups.map((g) => g.id);
      let last = key;
      for (const step of steps) {
        if (reach === undefined) break; // already every agent
        reach = step.to === '*' ? undefined : [...new Set([...reach, ...step.to])];
        const pool = this.#placeholder(reach);
        const previous = tiers[tiers.length - 1];
        if (previous !== undefined && previous.afterMs === step.afterMs) tiers[tiers.length - 1] = { afterMs: step.afterMs, pool };
        else if (pool.key !== last) tiers.push({ afterMs: step.afterMs, pool });
        last = pool.key;
      }
    }
    const target: Target = { key, groups: groups?.map((g) => g.id), pool: this.#placeholder(groups?.map((g) => g.id)), tiers, mode, refs: 0 };
    this.#targets.set(key, target);
    return target;
  }

  /** A pool not yet in existence, standing for the one `acquire` finds or makes. */
  #placeholder(ids: readonly string[] | undefined): Pool {
    const order = this.#order;
    const ordered = ids === undefined ? undefined : [...new Set(ids)].sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
    const pool = new Pool(ordered === undefined ? '*' : JSON.stringify(ordered), ordered === undefined ? undefined : new Set(ordered), this.rooms);
    pool.dropped = true;
    return pool;
  }

  #hold(p: Pool): Pool {
    const pool = p.dropped ? (this.pools.get(p.key) ?? this.#remake(p)) : p;
    if (pool.refs++ === 0 && pool.idle) {
      this.#fromIdle(pool);
      this.#idleMembers -= pool.size;
    }
    return pool;
  }

  #let(pool: Pool): void {
    if (--pool.refs > 0) return;
    this.#toIdle(pool);
    this.#idleMembers += pool.size;
  }

  /** Makes the pool `p` stands for; one dropped not long ago grows the idle budget by its members. */
  #remake(p: Pool): Pool {
    const pool = this.#make(p.key, p.groups);
    if (this.#dropped.delete(p.key)) this.#grown = Math.min(this.#grown + pool.size, MAX_GROWTH_PER_AGENT * this.#host.agents.size);
    return pool;
  }

  #remember(key: string): void {
    this.#dropped.delete(key);
    this.#dropped.add(key);
    this.#fitDropped();
  }

  #fitDropped(): void {
    const limit = droppedLimit(this.#host.agents.size);
    while (this.#dropped.size > limit) this.#dropped.delete(this.#dropped.values().next().value as string);
  }

  /** Makes a pool and files in it every agent it admits. */
  #make(key: string, groups: ReadonlySet<string> | undefined): Pool {
    const pool = new Pool(key, groups, this.rooms);
    this.pools.set(key, pool);
    const admitted = new Set<AgentRecord>();
    if (groups === undefined) {
      this.#every = pool;
      for (const agent of this.#host.agents.values()) admitted.add(agent);
    } else {
      for (const g of groups) {
        let pools = this.#poolsOf.get(g);
        if (pools === undefined) this.#poolsOf.set(g, (pools = new Set()));
        pools.add(pool);
        for (const agent of this.#agentsOf.get(g) ?? []) admitted.add(agent);
      }
    }
    // Filed in id order, not in the order the agents joined their groups (a restored router
    // rebuilds that order differently): the pool's total weight is a float sum, and its last bit
    // must not depend on history a snapshot does not carry.
    for (const agent of [...admitted].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) this.#add(pool, agent);
    return pool;
  }

  #add(pool: Pool, agent: AgentRecord): void {
    agent.members = agent.members.concat(this.#join(pool, agent));
    this.#host.refresh(agent);
  }

  #drop(pool: Pool): void {
    this.pools.delete(pool.key);
    if (pool.idle) this.#fromIdle(pool);
    this.#idleMembers -= pool.size;
    const groups = pool.groups;
    if (groups === undefined) this.#every = undefined;
    else for (const g of groups) this.#poolsOf.get(g)?.delete(pool);
    const agents = groups === undefined ? this.#host.agents.values() : new Set([...groups].flatMap((g) => [...(this.#agentsOf.get(g) ?? [])]));
    for (const agent of agents) {
      const m = agent.members.find((x) => x.pool === pool);
      if (m === undefined) continue;
      pool.leave(m);
      agent.members = agent.members.filter((x) => x !== m);
    }
    pool.dropped = true;
    this.#remember(pool.key);
    this.#host.dropped(pool);
  }

  #toIdle(pool: Pool): void {
    pool.idle = true;
    pool.idlePrev = this.#idleLast;
    pool.idleNext = undefined;
    if (this.#idleLast === undefined) this.#idleFirst = pool;
    else this.#idleLast.idleNext = pool;
    this.#idleLast = pool;
  }

  #fromIdle(pool: Pool): void {
    if (pool.idlePrev === undefined) this.#idleFirst = pool.idleNext;
    else pool.idlePrev.idleNext = pool.idleNext;
    if (pool.idleNext === undefined) this.#idleLast = pool.idlePrev;
    else pool.idleNext.idlePrev = pool.idlePrev;
    pool.idle = false;
    pool.idlePrev = undefined;
    pool.idleNext = undefined;
  }

  #join(pool: Pool, agent: AgentRecord): Member {
    if (pool.idle) this.#idleMembers++;
    return servedBy(pool.join(agent), agent);
  }

  #leave(m: Member): void {
    const pool = m.pool;
    if (pool.idle) this.#idleMembers--;
    pool.leave(m);
  }
}

/**
 * Sets the group a decision through `m` names: the first of the agent's groups its pool routes to.
 * Read once per membership (and again when the agent's groups change), not at every pick.
 */
function servedBy(m: Member, agent: AgentRecord): Member {
  const groups = m.pool.groups;
  m.groupId = groups === undefined ? undefined : agent.groups.find((g) => groups.has(g));
  return m;
}
