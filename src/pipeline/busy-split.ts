import { IndexedHeap, type HeapItem } from '../structures/indexed-heap.js';
import { MeasuredTree, type TreeItem } from '../structures/measured-tree.js';
import { fits, type Capacity } from './capacity.js';

/** What rule 6 needs to know of an agent; the router's agent record satisfies it. */
export interface SplitAgent extends Capacity {
  readonly id: string;
  /** Weight as the split mode sees it (1 for everyone in `average` mode). */
  readonly shareWeight: number;
  /** Pending replies: the busy tier orders by pending / shareWeight. */
  readonly pending: number;
  /** The router's assignment counter when this agent was last assigned (0: never). */
  readonly lastSeq: number;
}

/** Where a member sits in its pool. */
export const Tier = {
  /** Cannot take new consultations from this pool (offline, suspended, at cap). */
  Out: 0,
  /** Non-busy: ordered by virtual finish, due once its virtual start ≤ the pool's virtual time. */
  Free: 1,
  /** Available but busy, ordered by load: picked only when no member is non-busy. */
  Busy: 2,
} as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

/** An agent's place in one candidate pool, with its WF2Q+ virtual start and finish times there. */
export interface Member extends HeapItem, TreeItem {
  readonly agent: SplitAgent;
  readonly pool: Pool;
  /** Virtual start time: the member is due once `pool.virtualTime >= start`. */
  start: number;
  /** Virtual finish time: `start + 1 / weight`; the due member with the smallest finish is picked. */
  finish: number;
  /** The weight counted in the pool's `totalWeight` while the member is non-busy. */
  countedWeight: number;
  tier: Tier;
  /**
   * The first of its agent's groups that the pool routes to, which a decision through this member
   * names; kept by the pools' owner (`undefined` in the pool of every agent).
   */
  groupId: string | undefined;
  /** Its place among the pool's members by room (see `Pool.choose`). */
  readonly room: RoomHandle;
}

/** A member as the pool's room index holds it: keyed by minus its room, so the roomiest comes first. */
export interface RoomHandle extends HeapItem {
  readonly member: Member;
  /** In the index of busy members (else of non-busy ones), while in either. */
  inBusy: boolean;
}

// The tie-break order, one for the whole router: the tier's key (finish, start or load), then the
// least recently assigned (seq = the agent's lastSeq), then the id in code-unit order.
const tie = (a: Member, b: Member): boolean => a.agent.id < b.agent.id;
const roomTie = (a: RoomHandle, b: RoomHandle): boolean => a.member.agent.id < b.member.agent.id;

/**
 * Rule 6 inside one candidate pool (rule 5 makes the pools): non-busy agents first, shared by
 * WF2Q+ (Bennett & Zhang 1996, 1997) with one assignment as the unit of work; when every eligible
 * agent is busy, the least loaded (pending / weight).
 *
 * Each non-busy member has a virtual start S and finish F = S + 1/w; the pool's virtual time V
 * advances by 1/Σw per pick, and jumps to the smallest S when nobody is due. V is computed as
 * `anchor + picks / Σw` from where it last jumped or Σw last changed, not by adding 1/Σw to
 * itself: added up, the rounding drifts (after ten rounds of three agents V read 10.000000000000004
 * where the members' starts read 10), and a member rejoining at V then lost the tie that puts the
 * least recently assigned first — it waited behind everyone. Divided, a full round of equal
 * weights lands exactly on the members' starts. The pick is the due
 * member (S ≤ V) with the smallest F. With a fixed set of members, after every prefix of n picks
 * each member's count differs from n·w/Σw by less than one. A member that (re)joins the non-busy set
 * starts at max(S, V): no catch-up burst for time away, no wait behind everyone.
 *
 * The non-busy members are one tree in finish order whose every subtree keeps its least start
 * (WF2Q+'s usual structure), so the due member with the least finish is one walk down it, and V
 * passing the starts of many members at once moves none of them: every call is O(log n), not only
 * on average. A member's place is a function of its times: a pool rebuilt from the same numbers (a
 * restored snapshot) orders its members exactly as the original.
 */
export class Pool {
  readonly key: string;
  /** The bound groups this pool routes to; `undefined`: every agent of the shop. */
  readonly groups: ReadonlySet<string> | undefined;
  /** The pool's virtual time V: `anchor + picks / totalWeight`, or `anchor` with no pick since. */
  virtualTime = 0;
  /** V when it last jumped or `totalWeight` last changed. */
  anchor = 0;
  /** Picks since then. */
  picks = 0;
  /** Σ weight of the non-busy members. */
  totalWeight = 0;
  /** Its members, in every tier. */
  size = 0;
  /** Targets in use that route here (see `Scopes`): while any, the pool stays. */
  refs = 0;
  /** Dropped by `Scopes` as no longer reachable: a target that needs it again makes a new one. */
  dropped = false;
  /** Idle (no target in use holds it), and its neighbours in `Scopes`' list of idle pools. */
  idle = false;
  idlePrev: Pool | undefined;
  idleNext: Pool | undefined;
  readonly #free = new MeasuredTree<Member>(tie);
  // Read only when no non-busy member can take a consultation: lazy (see IndexedHeap).
  readonly #busy = new IndexedHeap<Member>(tie, true);
  // By room, non-busy and busy apart: read only for a consultation the fair share's pick has no
  // room for (a cost above 1), so made at the first such read and lazy from then on.
  readonly #roomyFree = new IndexedHeap<RoomHandle>(roomTie, true);
  readonly #roomyBusy = new IndexedHeap<RoomHandle>(roomTie, true);
  #roomsIndexed = false;
  /** Shared by the shop's pools: whether any files its members by room (then a change of room must reach the pools). */
  readonly #rooms: { indexed: boolean };

  constructor(key: string, groups: ReadonlySet<string> | undefined, rooms: { indexed: boolean }) {
    this.key = key;
    this.groups = groups;
    this.#rooms = rooms;
  }

  /** A new member of this pool for `agent`, outside every tier until placed. */
  join(agent: SplitAgent): Member {
    this.size++;
    const room = { member: undefined as unknown as Member, inBusy: false, key: 0, seq: 0, heapIndex: -1 };
    const m: Member = {
      agent, pool: this, start: 0, finish: 0, countedWeight: 0, tier: Tier.Out, groupId: undefined, room,
      key: 0, seq: 0, heapIndex: -1, measure: 0, treeSlot: -1,
    };
    (room as { member: Member }).member = m;
    return m;
  }

  /**
   * Puts a member in the tier its agent's state calls for. The single place where membership
   * changes, so `totalWeight` and the tiers cannot drift apart.
   */
  place(m: Member, available: boolean, busy: boolean): void {
    const wasNonBusy = m.tier === Tier.Free;
    const totalWeight = this.totalWeight;
    if (available && !busy) {
      const w = m.agent.shareWeight;
      if (!wasNonBusy) {
        // Joins at the current fair position (never behind V, keeps a lead it had not used up).
        if (m.start < this.virtualTime) m.start = this.virtualTime;
        this.totalWeight += w;
      } else {
        this.totalWeight += w - m.countedWeight;
      }
      m.countedWeight = w;
      m.finish = m.start + 1 / w;
      this.#move(m, Tier.Free);
    } else {
      if (wasNonBusy) {
        this.totalWeight -= m.countedWeight;
        m.countedWeight = 0;
        if (this.#free.size === 1) this.totalWeight = 0; // no float residue
      }
      this.#move(m, available ? Tier.Busy : Tier.Out);
    }
    if (this.totalWeight !== totalWeight) this.#anchorHere();
    if (this.#roomsIndexed) this.#fileRoom(m, available, busy);
    this.#settle();
  }

  /** Files the member by its room (minus it, for a min-heap) among the non-busy or busy members, or takes it out. */
  #fileRoom(m: Member, available: boolean, busy: boolean): void {
    const r = m.room;
    const from = r.heapIndex < 0 ? undefined : r.inBusy ? this.#roomyBusy : this.#roomyFree;
    const to = !available ? undefined : busy ? this.#roomyBusy : this.#roomyFree;
    if (from !== to) from?.remove(r);
    if (to === undefined) return;
    const key = m.agent.load - m.agent.cap;
    const seq = m.agent.lastSeq;
    if (from === to) {
      if (r.key === key && r.seq === seq) return;
      r.key = key;
      r.seq = seq;
      to.update(r);
    } else {
      r.inBusy = busy;
      r.key = key;
      r.seq = seq;
      to.push(r);
    }
  }

  leave(m: Member): void {
    this.size--;
    this.place(m, false, false);
  }

  /**
   * The agent's weight changed: it restarts at the pool's current fair position, so that from here
   * on its count follows its new share (a start kept from the old weight would carry a lead or a
   * debt measured in the old weight's units). The caller places it next.
   */
  restart(m: Member): void {
    m.start = this.virtualTime;
  }

  /**
   * The member a new consultation of this pool goes to, without changing anything: the due
   * non-busy member with the smallest finish, or, when there is none, the least loaded busy one.
   * When `excluded` rules out the due ones, the non-busy one with the smallest finish, due or not
   * (the one whose turn would end first); else the least loaded busy one. When that member has no
   * room for `cost`, the non-busy member with the most room, else the busy one, if it has enough
   * (O(log n) amortised, see `#roomiest`), excluded ones passed over in either search.
   *
   * Cost: O(log n); with exclusions, plus O(log n) for each excluded member ranked ahead of the
   * answer. An agent a consultation was taken from was charged for it, so it ranks behind the
   * agents still owed picks, and a re-route rarely meets one.
   */
  choose(excluded: ReadonlySet<string> | undefined, cost: number): Member | undefined {
    const some = excluded !== undefined && excluded.size > 0;
    const top = some ? this.#search(excluded) : this.#free.firstWithin(this) ?? this.#busy.peek();
    if (top === undefined || fits(top.agent, cost)) return top;
    return this.#roomiest(cost, some ? excluded : undefined);
  }

  /**
   * The fair share's pick has no room for `cost`: the non-busy member with the most room, else the
   * busy one, if it has enough (equal rooms: least recently assigned, then id), `excluded` passed
   * over. O(log n) amortised, plus O(log n) per excluded member ranked ahead.
   */
  #roomiest(cost: number, excluded: ReadonlySet<string> | undefined): Member | undefined {
    if (!this.#roomsIndexed) {
      // The first read: every available member filed by room, once (O(n)); kept up to date after.
      this.#roomsIndexed = true;
      this.#rooms.indexed = true;
      for (const m of this.#free.values()) this.#fileRoom(m, true, false);
      for (const m of this.#busy.values()) this.#fileRoom(m, true, true);
    }
    const roomiest = (rooms: IndexedHeap<RoomHandle>): Member | undefined =>
      (excluded === undefined ? rooms.peek() : rooms.firstWhere((r) => !excluded.has(r.member.agent.id)))?.member;
    const free = roomiest(this.#roomyFree);
    if (free !== undefined && fits(free.agent, cost)) return free;
    const busy = roomiest(this.#roomyBusy);
    return busy !== undefined && fits(busy.agent, cost) ? busy : undefined;
  }

  // Apart from `choose`: a closure there would make every call allocate its context.
  #search(excluded: ReadonlySet<string>): Member | undefined {
    const allowed = (m: Member): boolean => !excluded.has(m.agent.id);
    const free = this.#free;
    return free.firstWhere(allowed, this) ?? free.firstWhere(allowed) ?? this.#busy.firstWhere(allowed);
  }

  /**
   * Advances the fair share after `m` was picked from the non-busy tiers: the pool's virtual time,
   * and the member's start and finish. The caller places the member next, with its agent's new
   * state.
   */
  charge(m: Member): void {
    if (m.tier !== Tier.Free) return;
    if (m.start > this.virtualTime) {
      this.virtualTime = m.start;
      this.#anchorHere();
    }
    this.virtualTime = this.anchor + ++this.picks / this.totalWeight;
    m.start = m.finish;
    m.finish = m.start + 1 / m.countedWeight;
  }

  /**
   * Finishes a restore: members were placed and then given their saved start and finish times;
   * this sets the saved clock and files every non-busy member by those times.
   */
  restore(virtualTime: number, totalWeight: number, anchor: number, picks: number): void {
    this.virtualTime = virtualTime;
    this.totalWeight = totalWeight;
    this.anchor = anchor;
    this.picks = picks;
    for (const m of this.#free.values()) this.#move(m, Tier.Free);
  }

  /** Files the member in `tier` by its current times and load (the one place the tiers are written). */
  #move(m: Member, tier: Tier): void {
    const key = tier === Tier.Free ? m.finish : tier === Tier.Busy ? m.agent.pending / m.agent.shareWeight : 0;
    const seq = m.agent.lastSeq;
    if (m.tier === tier) {
      if (m.key === key && m.seq === seq && (tier !== Tier.Free || m.measure === m.start)) return;
      m.key = key;
      m.seq = seq;
      if (tier === Tier.Free) {
        m.measure = m.start;
        this.#free.refile(m);
      } else if (tier === Tier.Busy) this.#busy.update(m);
      return;
    }
    if (m.tier === Tier.Free) this.#free.remove(m);
    else if (m.tier === Tier.Busy) this.#busy.remove(m);
    m.tier = tier;
    m.key = key;
    m.seq = seq;
    if (tier === Tier.Free) {
      m.measure = m.start;
      this.#free.insert(m);
    } else if (tier === Tier.Busy) this.#busy.push(m);
  }

  /** V counts its picks from here. */
  #anchorHere(): void {
    this.anchor = this.virtualTime;
    this.picks = 0;
  }

  // When no non-busy member is due, V jumps to the earliest start (WF2Q+'s max(V, min S)).
  #settle(): void {
    if (this.#free.raise(this)) this.#anchorHere();
  }
}
