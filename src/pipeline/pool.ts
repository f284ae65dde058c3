import { IndexedHeap } from '../structures/indexed-heap.js';

/** What a pool needs to know of an agent; the router's agent record satisfies it. */
export interface PoolAgent {
  readonly id: string;
  /** Weight as the split mode sees it (1 for everyone in `average` mode). */
  shareWeight: number;
  /** Pending replies: the busy tier orders by pending / shareWeight (pending itself in `average` mode). */
  pending: number;
  /** The router's assignment counter when this agent was last assigned (0: never). */
  lastSeq: number;
}

/** Where a member sits in its pool. */
export const Tier = {
  /** Cannot take new consultations from this pool (offline, suspended, at cap). */
  Out: 0,
  /**
   * Non-busy, ordered by virtual finish. The root is always due (its start has come); others may
   * not be yet — they are set aside only if they reach the root early (see `#settle`).
   */
  Ready: 1,
  /** Non-busy and not yet due, ordered by virtual start: waits for the pool's virtual time. */
  Waiting: 2,
  /** Available but busy: picked only when no member is non-busy. */
  Busy: 3,
} as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

/**
 * An agent's place in one candidate pool, with its WF2Q virtual start and finish times there. The
 * owner makes the record and {@link Pool.join} fills it in, so that an agent's record can be its
 * own first membership.
 */
export interface Member {
  readonly agent: PoolAgent;
  pool: Pool;
  /** Virtual start time: the member is due for a pick once `pool.virtualTime >= start`. */
  start: number;
  /** Virtual finish time: `start + 1 / weight`; the due member with the smallest finish is picked. */
  finish: number;
  /** The weight counted in the pool's `totalWeight` while the member is non-busy. */
  countedWeight: number;
  tier: Tier;
  /** The key its heap orders by: finish (Ready), start (Waiting) or load (Busy). */
  key: number;
  /** The agent's `lastSeq` when the member was last sorted: the tie-break. */
  seq: number;
  heapIndex: number;
  /** The agent's next membership (its list of pools); set by the agent's owner. */
  nextOfAgent: Member | undefined;
}

// The tie-break order, one for the whole router: the tier's key, then the least recently
// assigned (seq), then the id (code-unit order). Members carry their key and seq, which the heaps
// copy into typed arrays; `tie` is read only when both are equal.
function tie(a: Member, b: Member): boolean {
  return a.agent.id < b.agent.id;
}

function before(a: Member, b: Member): boolean {
  if (a.key !== b.key) return a.key < b.key;
  if (a.seq !== b.seq) return a.seq < b.seq;
  return tie(a, b);
}

/**
 * A candidate pool (rule 5): the agents one set of order states routes to, with its own fair share.
 *
 * The fair share is WF2Q+ (Bennett & Zhang 1996, 1997) with one assignment as the unit of work:
 * each member has a virtual start S and finish F = S + 1/w; the pool's virtual time V advances by
 * 1/Σw per pick (and to the smallest S when nobody is due); the pick is the due member (S ≤ V)
 * with the smallest F. With a fixed set of members, after every prefix of n picks each member's
 * count differs from n·w/Σw by less than one. A member that (re)joins the non-busy set starts at
 * max(S, V): no catch-up burst for time away, no wait behind everyone.
 *
 * The classic structure keeps due members in a heap by F and the others in a heap by S, moving a
 * member across after every pick. Here a picked member stays in the F-heap with its new times; only
 * when a member that is not yet due reaches the root is it set aside. By the time a member's F is
 * the smallest, V has almost always passed its S, so picks rarely move anyone: the pick is still
 * the due member with the smallest F.
 */
export class Pool {
  readonly key: string;
  /** The bound groups this pool routes to; `undefined`: every agent of the shop. */
  readonly groups: ReadonlySet<string> | undefined;
  /** The pool's virtual time V. */
  virtualTime = 0;
  /** Σ weight of the non-busy members (Ready and Waiting). */
  totalWeight = 0;
  readonly #ready = new IndexedHeap<Member>(tie);
  readonly #waiting = new IndexedHeap<Member>(tie);
  // Read only when no non-busy member can take a consultation: lazy (see IndexedHeap).
  readonly #busy = new IndexedHeap<Member>(tie, true);

  constructor(key: string, groups: ReadonlySet<string> | undefined) {
    this.key = key;
    this.groups = groups;
  }

  /** Whether an agent in these groups belongs to the pool. */
  admits(agentGroups: readonly string[]): boolean {
    const groups = this.groups;
    if (groups === undefined) return true;
    for (const g of agentGroups) if (groups.has(g)) return true;
    return false;
  }

  /** Makes `m` a new member of this pool, outside every tier; `m` belongs to no pool when called. */
  join<M extends Member>(m: M): M {
    m.pool = this;
    m.start = 0;
    m.finish = 0;
    m.countedWeight = 0;
    m.tier = Tier.Out;
    m.key = 0;
    m.seq = 0;
    m.heapIndex = -1;
    m.nextOfAgent = undefined;
    return m;
  }

  /**
   * Puts a member in the tier its agent's state calls for. The single place where membership
   * changes, so `totalWeight` and the heaps cannot drift apart. Does nothing when neither the
   * tier nor the sort key changed.
   */
  place(m: Member, available: boolean, busy: boolean): void {
    const from = m.tier;
    const wasNonBusy = from === Tier.Ready || from === Tier.Waiting;
    if (available && !busy) {
      const w = m.agent.shareWeight;
      if (!wasNonBusy) {
        // Joins at the current fair position (never behind V, keeps a lead it had not used up).
        if (m.start < this.virtualTime) m.start = this.virtualTime;
        m.finish = m.start + 1 / w;
        this.totalWeight += w;
        m.countedWeight = w;
      } else if (m.countedWeight !== w) {
        this.totalWeight += w - m.countedWeight;
        m.countedWeight = w;
        m.finish = m.start + 1 / w;
      }
      this.#sort(m);
    } else {
      if (wasNonBusy) {
        this.totalWeight -= m.countedWeight;
        m.countedWeight = 0;
        if (this.#ready.size + this.#waiting.size === 1) this.totalWeight = 0; // no float residue
      }
      this.#move(m, available ? Tier.Busy : Tier.Out);
    }
    this.#settle();
  }

  leave(m: Member): void {
    this.place(m, false, false);
  }

  /**
   * The member a new consultation of this pool goes to, without changing anything: a due
   * non-busy member by smallest finish; else (when `excluded` rules out every due one) the
   * earliest-starting non-busy one; else the least loaded busy member.
   */
  choose(excluded: ReadonlySet<string> | undefined): Member | undefined {
    if (excluded === undefined || excluded.size === 0) return this.#ready.peek() ?? this.#busy.peek();
    return this.#chooseExcluding(excluded);
  }

  // Apart from `choose` so that its closures' context is allocated only on this rare path. When
  // every due member is excluded it scans the non-busy ones for the earliest start: O(n), but
  // only for a re-routed consultation in a pool whose every due agent it was taken from.
  #chooseExcluding(excluded: ReadonlySet<string>): Member | undefined {
    const v = this.virtualTime;
    const due = this.#ready.firstWhere((m) => m.start <= v && !excluded.has(m.agent.id));
    if (due !== undefined) return due;
    let best: Member | undefined;
    for (const m of [...this.#ready.values(), ...this.#waiting.values()]) {
      if (excluded.has(m.agent.id)) continue;
      if (best === undefined || m.start < best.start || (m.start === best.start && before(m, best))) best = m;
    }
    return best ?? this.#busy.firstWhere((m) => !excluded.has(m.agent.id));
  }

  /**
   * Advances the fair share after `m` was picked from the non-busy tier: the pool's virtual time,
   * and the member's start and finish. It does not re-sort the member: the caller places it at once
   * ({@link Pool.place}), with its agent's new state, so that a member which the pick made busy or
   * full leaves its heap in one step instead of being re-keyed there first. Nothing may read the
   * pool in between.
   */
  charge(m: Member): void {
    if (m.tier !== Tier.Ready && m.tier !== Tier.Waiting) return;
    if (m.start > this.virtualTime) this.virtualTime = m.start;
    this.virtualTime += 1 / this.totalWeight;
    m.start = m.finish;
    m.finish = m.start + 1 / m.countedWeight;
  }

  /**
   * Finishes a restore: members were placed and then given their saved start and finish times;
   * this sets the saved clock and re-sorts every non-busy member by it.
   */
  restore(virtualTime: number, totalWeight: number): void {
    this.virtualTime = virtualTime;
    this.totalWeight = totalWeight;
    for (const m of [...this.#ready.values(), ...this.#waiting.values()]) {
      m.tier = Tier.Out; // forces a re-sort by the restored times
      this.#heapOf(m)?.remove(m);
      this.#sort(m);
    }
    this.#settle();
  }

  /** A non-busy member: one in Ready stays there (re-keyed); others go to Ready when due, else Waiting. */
  #sort(m: Member): void {
    this.#move(m, m.tier === Tier.Ready || m.start <= this.virtualTime ? Tier.Ready : Tier.Waiting);
  }

  // The key is read here from the tier, not passed: a fractional number passed to a call that is not
  // inlined is boxed, and this runs several times per route.
  #move(m: Member, tier: Tier): void {
    const key = tier === Tier.Ready ? m.finish : tier === Tier.Waiting ? m.start : tier === Tier.Busy ? m.agent.pending / m.agent.shareWeight : 0;
    const seq = m.agent.lastSeq;
    if (m.tier === tier) {
      if (m.key === key && m.seq === seq) return;
      m.key = key;
      m.seq = seq;
      this.#heap(tier)?.update(m);
      return;
    }
    this.#heap(m.tier)?.remove(m);
    m.tier = tier;
    m.key = key;
    m.seq = seq;
    this.#heap(tier)?.push(m);
  }

  #heap(tier: Tier): IndexedHeap<Member> | undefined {
    return tier === Tier.Ready ? this.#ready : tier === Tier.Waiting ? this.#waiting : tier === Tier.Busy ? this.#busy : undefined;
  }

  #heapOf(m: Member): IndexedHeap<Member> | undefined {
    return this.#ready.has(m) ? this.#ready : this.#waiting.has(m) ? this.#waiting : undefined;
  }

  // Keeps "a non-busy member exists ⇒ the Ready root is due": moves members whose start has come
  // to Ready, sets aside a root that is not due yet, and when nobody is due advances V to the
  // earliest start (WF2Q+'s max(V, min S)).
  #settle(): void {
    const ready = this.#ready;
    const waiting = this.#waiting;
    for (;;) {
      let next = waiting.peek();
      if (next !== undefined && ready.size === 0 && next.start > this.virtualTime) this.virtualTime = next.start;
      while (next !== undefined && next.start <= this.virtualTime) {
        this.#move(next, Tier.Ready);
        next = waiting.peek();
      }
      const root = ready.peek();
      if (root === undefined || root.start <= this.virtualTime) return;
      this.#move(root, Tier.Waiting);
    }
  }
}
