/**
 * The typed-array router's twin with plain objects: the same decisions, rules, control flow and
 * structures as `typed-router.ts` (WF2Q+ over Ready, Waiting and Busy heaps, the customer table by
 * open addressing with backward-shift deletion, the contact memory as a list in time order, the
 * waiting queue), but an agent is one object (its fields and its one pool membership together), a
 * customer one object (its contact, its open consultation and its list links), links are object
 * references, and the heaps are fenliu's own `IndexedHeap` over the agent objects.
 *
 * It separates the two things the typed-array router changes at once: the records' representation
 * (typed arrays against objects) and the router's shape (one pool, an agent as its own membership,
 * a customer and its consultation as one record, nothing beyond the benched path). Same omissions
 * as `typed-router.ts`. `bench/check.ts` checks that it makes exactly fenliu's decisions.
 */

import { hashId } from '../../src/structures/id-table.js';
import { IndexedHeap } from '../../src/structures/indexed-heap.js';

const BUSY = 4;
const WINDOW = 72 * 60 * 60 * 1000;
const MAX_CONTACTS = 1_000_000;

// Where a customer's consultation is.
const W_NONE = 0;
const W_AGENT = 1;
const W_QUEUED = 2;
// Tiers and placements, as fenliu's Pool and Router have them.
const OUT = 0;
const READY = 1;
const WAITING = 2;
const BUSY_TIER = 3;
const P_UNKNOWN = -1;
const P_OUT = 0;
const P_FREE = 1;
const P_BUSY = 2;
// Stages of #decide.
const NEW = 0;
const REROUTE = 1;
const DRAIN = 2;

interface Agent {
  readonly id: string;
  pending: number;
  active: number;
  cap: number;
  lastSeq: number;
  start: number;
  finish: number;
  counted: number;
  weight: number;
  status: number;
  tier: number;
  placed: number;
  hasSlot: number;
  /** Its open consultations' list. */
  first: Entry | undefined;
  last: Entry | undefined;
  placedSeq: number;
  /** Its slot in the one heap it is in, or -1. */
  heapIndex: number;
  key: number;
  seq: number;
}

interface Entry {
  id: string;
  hash: number;
  contact: Agent | undefined;
  agent: Agent | undefined;
  where: number;
  /** prev/next: its agent's list; newer/older: the contact memory's. */
  prev: Entry | undefined;
  next: Entry | undefined;
  newer: Entry | undefined;
  older: Entry | undefined;
  at: number;
  since: number;
  order: number;
}

function makeAgent(id: string, weight: number, cap: number): Agent {
  return {
    id,
    pending: 0,
    active: 0,
    cap,
    lastSeq: 0,
    start: 0,
    finish: 0,
    counted: 0,
    weight,
    status: 0,
    tier: OUT,
    placed: P_UNKNOWN,
    hasSlot: 0,
    first: undefined,
    last: undefined,
    placedSeq: 0,
    heapIndex: -1,
    key: 0,
    seq: 0,
  };
}

function makeEntry(id: string, hash: number): Entry {
  return {
    id,
    hash,
    contact: undefined,
    agent: undefined,
    where: W_NONE,
    prev: undefined,
    next: undefined,
    newer: undefined,
    older: undefined,
    at: 0,
    since: 0,
    order: 0,
  };
}

function emptySlots(capacity: number): (Entry | undefined)[] {
  const slots: (Entry | undefined)[] = [];
  for (let i = 0; i < capacity; i++) slots.push(undefined);
  return slots;
}

export type ObjectDecision =
  | { kind: 'agent'; customerId: string; at: number; agentId: string; reason: string; reroutedFrom?: string }
  | { kind: 'queued'; customerId: string; at: number; position: number; reason: 'no-human'; reroutedFrom?: string };

export class ObjectRouter {
  readonly #agentIndex = new Map<string, Agent>();
  readonly #agents: Agent[] = [];
  // Customers: entry objects, found through an open-addressing table of (hash, entry).
  #freeEntries: Entry[] = [];
  #hashes = new Int32Array(16);
  #slots: (Entry | undefined)[] = emptySlots(16);
  #mask = 15;
  #used = 0;
  #oldest: Entry | undefined = undefined;
  #newest: Entry | undefined = undefined;
  #remembered = 0;
  readonly #excluded = new Map<Entry, Set<Agent>>();
  readonly #queue: Entry[] = [];
  // The one pool: WF2Q+'s virtual time and non-busy weight, and its three tiers.
  #virtualTime = 0;
  #totalWeight = 0;
  readonly #tie = (a: Agent, b: Agent): boolean => a.id < b.id;
  readonly #ready = new IndexedHeap<Agent>(this.#tie);
  readonly #waiting = new IndexedHeap<Agent>(this.#tie);
  // Lazy, as fenliu's busy tier is: read only when no non-busy agent is left.
  readonly #busy = new IndexedHeap<Agent>(this.#tie, true);
  #now = Number.NEGATIVE_INFINITY;
  #seq = 0;
  #arrivals = 0;
  #present = 0;
  #openSlots = 0;

  addAgent(id: string, weight: number, cap: number, at: number): void {
    const a = makeAgent(id, weight, cap);
    this.#agents.push(a);
    this.#agentIndex.set(id, a);
    this.setStatus(id, 'online', at);
  }

  route(customerId: string, at: number): ObjectDecision {
    if (typeof customerId !== 'string' || customerId.length === 0) throw new TypeError('customerId');
    const h = hashId(customerId);
    let e = this.#find(customerId, h);
    if (e !== undefined && e.where !== W_NONE) throw new Error(`${customerId} is open`);
    this.#time(at);
    if (e === undefined) e = this.#insert(customerId, h);
    e.where = W_QUEUED;
    e.since = at;
    e.order = ++this.#arrivals;
    return this.#decide(e, NEW, undefined) as ObjectDecision;
  }

  end(customerId: string, at: number): ObjectDecision[] {
    if (typeof customerId !== 'string') throw new TypeError('customerId');
    const e = this.#find(customerId, hashId(customerId));
    if (e === undefined || e.where === W_NONE) throw new Error(`${customerId} is not open`);
    this.#time(at);
    const out: ObjectDecision[] = [];
    const where = e.where;
    if (where === W_QUEUED) {
      this.#queue.splice(this.#queue.indexOf(e), 1);
    } else {
      this.#release(e);
      this.#drain(out);
    }
    e.where = W_NONE;
    if (this.#excluded.size > 0) this.#excluded.delete(e);
    if (e.contact === undefined) this.#discard(e);
    return out;
  }

  setPending(agentId: string, pending: number): void {
    const a = this.#agentIndex.get(agentId);
    if (a === undefined) throw new Error(`unknown ${agentId}`);
    if (!(Number.isInteger(pending) && pending >= 0)) throw new TypeError('pending');
    if (a.pending === pending) return;
    a.pending = pending;
    this.#refresh(a);
  }

  setStatus(agentId: string, status: 'online' | 'offline', at: number): ObjectDecision[] {
    const a = this.#agentIndex.get(agentId);
    if (a === undefined) throw new Error(`unknown ${agentId}`);
    this.#time(at);
    const s = status === 'online' ? 1 : 0;
    if (a.status === s) return [];
    this.#present += s === 1 ? 1 : -1;
    a.status = s;
    this.#refresh(a);
    const out: ObjectDecision[] = [];
    if (s === 0) {
      const list: Entry[] = [];
      for (let e = a.first; e !== undefined; e = e.next) list.push(e);
      list.sort((x, y) => x.since - y.since || x.order - y.order);
      for (const e of list) {
        this.#release(e);
        let set = this.#excluded.get(e);
        if (set === undefined) this.#excluded.set(e, (set = new Set()));
        set.add(a);
        out.push(this.#decide(e, REROUTE, a) as ObjectDecision);
      }
    }
    this.#drain(out);
    return out;
  }

  #time(at: number): void {
    if (typeof at !== 'number' || !(at >= this.#now) || !Number.isFinite(at)) throw new Error('time');
    this.#now = at;
  }

  /** fenliu's rules 1, 2, 5–8 for consultation `e` at stage NEW, REROUTE (from agent `from`) or DRAIN. */
  #decide(e: Entry, stage: number, from: Agent | undefined): ObjectDecision | undefined {
    const at = this.#now;
    const customerId = e.id;
    let agent: Agent | undefined = undefined;
    let reason = 'split';
    let fromPool = false;
    const excluded = this.#excluded.size === 0 ? undefined : this.#excluded.get(e);
    if (this.#present > 0) {
      const c = e.contact;
      if (c !== undefined && at - e.at <= WINDOW) {
        if (c.active < c.cap && c.status === 1 && !(excluded?.has(c) ?? false)) {
          agent = c;
          reason = 'recent-contact';
        }
      }
      if (agent === undefined) {
        agent = this.#choose(excluded);
        if (agent !== undefined) {
          fromPool = true;
          reason = agent.tier === BUSY_TIER ? 'busy-fallback' : 'split';
        }
      }
    }
    if (agent === undefined) {
      if (stage === DRAIN) return undefined;
      e.where = W_QUEUED;
      const position = this.#enqueue(e);
      return from === undefined
        ? { kind: 'queued', customerId, at, position, reason: 'no-human' }
        : { kind: 'queued', customerId, at, position, reason: 'no-human', reroutedFrom: from.id };
    }
    agent.lastSeq = ++this.#seq;
    if (fromPool) {
      this.#charge(agent);
      // Its only membership now carries the new lastSeq: #refresh need not place it again unless its tier changes.
      const t = agent.tier;
      if ((t === READY || t === WAITING) && agent.seq === this.#seq) agent.placedSeq = this.#seq;
    }
    agent.active = agent.active + 1;
    agent.pending = agent.pending + 1;
    const last = agent.last;
    e.prev = last;
    e.next = undefined;
    if (last === undefined) agent.first = e;
    else last.next = e;
    agent.last = e;
    e.where = W_AGENT;
    e.agent = agent;
    this.#remember(e, agent, at);
    this.#refresh(agent);
    const agentId = agent.id;
    const r = stage === DRAIN ? 'queue' : reason;
    return from === undefined ? { kind: 'agent', customerId, at, agentId, reason: r } : { kind: 'agent', customerId, at, agentId, reason: r, reroutedFrom: from.id };
  }

  #choose(excluded: Set<Agent> | undefined): Agent | undefined {
    if (excluded === undefined || excluded.size === 0) {
      const r = this.#ready.peek();
      return r !== undefined ? r : this.#busy.peek();
    }
    const v = this.#virtualTime;
    const due = this.#ready.firstWhere((a) => a.start <= v && !excluded.has(a));
    if (due !== undefined) return due;
    let best: Agent | undefined = undefined;
    for (const a of [...this.#ready.values(), ...this.#waiting.values()]) {
      if (excluded.has(a)) continue;
      if (best === undefined) {
        best = a;
        continue;
      }
      const sa = a.start, sb = best.start;
      if (sa < sb || (sa === sb && this.#before(a, best))) best = a;
    }
    if (best !== undefined) return best;
    return this.#busy.firstWhere((a) => !excluded.has(a));
  }

  #before(a: Agent, b: Agent): boolean {
    const ka = this.#keyOf(a), kb = this.#keyOf(b);
    if (ka !== kb) return ka < kb;
    const sa = a.lastSeq, sb = b.lastSeq;
    if (sa !== sb) return sa < sb;
    return this.#tie(a, b);
  }

  #keyOf(a: Agent): number {
    const t = a.tier;
    return t === READY || t === WAITING || t === BUSY_TIER ? a.key : 0;
  }

  #release(e: Entry): void {
    const a = e.agent as Agent;
    a.active = a.active - 1;
    const prev = e.prev, next = e.next;
    if (prev === undefined) a.first = next;
    else prev.next = next;
    if (next === undefined) a.last = prev;
    else next.prev = prev;
    e.agent = undefined;
    this.#refresh(a);
  }

  #refresh(a: Agent): void {
    const online = a.status === 1;
    const underCap = a.active < a.cap;
    const available = online && underCap;
    const busy = a.pending > BUSY;
    const placed = !available ? P_OUT : busy ? P_BUSY : P_FREE;
    const seq = a.lastSeq;
    if (placed !== a.placed || placed === P_BUSY || seq !== a.placedSeq) {
      this.#place(a, available, busy);
      a.placed = placed;
      a.placedSeq = seq;
    }
    const hasSlot = underCap && online ? 1 : 0;
    if (hasSlot !== a.hasSlot) {
      this.#openSlots += hasSlot === 1 ? 1 : -1;
      a.hasSlot = hasSlot;
    }
  }

  #place(a: Agent, available: boolean, busy: boolean): void {
    const from = a.tier;
    const wasNonBusy = from === READY || from === WAITING;
    if (available && !busy) {
      const w = a.weight;
      if (!wasNonBusy) {
        if (a.start < this.#virtualTime) a.start = this.#virtualTime;
        a.finish = a.start + 1 / w;
        this.#totalWeight += w;
        a.counted = w;
      }
      this.#sort(a);
    } else {
      if (wasNonBusy) {
        this.#totalWeight -= a.counted;
        a.counted = 0;
        if (this.#ready.size + this.#waiting.size === 1) this.#totalWeight = 0;
      }
      this.#move(a, available ? BUSY_TIER : OUT);
    }
    this.#settle();
  }

  #charge(a: Agent): void {
    const t = a.tier;
    if (t !== READY && t !== WAITING) return;
    if (a.start > this.#virtualTime) this.#virtualTime = a.start;
    this.#virtualTime += 1 / this.#totalWeight;
    a.start = a.finish;
    a.finish = a.start + 1 / a.counted;
    if (t === READY) this.#move(a, READY);
    else this.#sort(a);
    this.#settle();
  }

  #sort(a: Agent): void {
    this.#move(a, a.tier === READY || a.start <= this.#virtualTime ? READY : WAITING);
  }

  #move(a: Agent, tier: number): void {
    const key = tier === READY ? a.finish : tier === WAITING ? a.start : tier === BUSY_TIER ? a.pending / a.weight : 0;
    const seq = a.lastSeq;
    const from = a.tier;
    if (from === tier) {
      const heap = this.#heap(tier);
      if (heap === undefined || (a.key === key && a.seq === seq)) return;
      a.key = key;
      a.seq = seq;
      heap.update(a);
      return;
    }
    this.#heap(from)?.remove(a);
    a.tier = tier;
    a.key = key;
    a.seq = seq;
    this.#heap(tier)?.push(a);
  }

  #heap(tier: number): IndexedHeap<Agent> | undefined {
    return tier === READY ? this.#ready : tier === WAITING ? this.#waiting : tier === BUSY_TIER ? this.#busy : undefined;
  }

  #settle(): void {
    const ready = this.#ready, waiting = this.#waiting;
    for (;;) {
      let next = waiting.peek();
      if (next !== undefined && ready.size === 0 && next.start > this.#virtualTime) this.#virtualTime = next.start;
      while (next !== undefined && next.start <= this.#virtualTime) {
        this.#move(next, READY);
        next = waiting.peek();
      }
      const root = ready.peek();
      if (root === undefined || root.start <= this.#virtualTime) return;
      this.#move(root, WAITING);
    }
  }

  // ── the customer table and the contact memory ──
  #find(id: string, h: number): Entry | undefined {
    const hashes = this.#hashes, mask = this.#mask;
    let i = h & mask;
    // Unbounded like #placeSlot; at most half the slots are used, so a free slot ends every run.
    for (;;) {
      const s = hashes[i] as number;
      if (s === 0) return undefined;
      if (s === h) {
        const e = this.#slots[i] as Entry;
        if (e.id === id) return e;
      }
      i = (i + 1) & mask;
    }
  }

  #insert(id: string, h: number): Entry {
    let e = this.#freeEntries.pop();
    if (e === undefined) {
      e = makeEntry(id, h);
    } else {
      e.id = id;
      e.contact = undefined;
      e.agent = undefined;
      e.where = W_NONE;
      e.newer = undefined;
      e.older = undefined;
      e.hash = h;
    }
    if (2 * (this.#used + 1) > this.#hashes.length) this.#resize(2 * this.#hashes.length);
    this.#placeSlot(e, h);
    return e;
  }

  #placeSlot(e: Entry, h: number): void {
    const hashes = this.#hashes, mask = this.#mask;
    let i = h & mask;
    for (;;) {
      if (hashes[i] === 0) {
        hashes[i] = h;
        this.#slots[i] = e;
        this.#used++;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  #resize(capacity: number): void {
    const oldH = this.#hashes, oldS = this.#slots;
    this.#hashes = new Int32Array(capacity);
    this.#slots = emptySlots(capacity);
    this.#mask = capacity - 1;
    this.#used = 0;
    for (let i = 0; i < oldH.length; i++) if (oldH[i] !== 0) this.#placeSlot(oldS[i] as Entry, oldH[i] as number);
  }

  #discard(e: Entry): void {
    const hashes = this.#hashes, slots = this.#slots, mask = this.#mask;
    let hole = e.hash & mask;
    while (slots[hole] !== e || hashes[hole] === 0) hole = (hole + 1) & mask;
    for (let i = (hole + 1) & mask; ; i = (i + 1) & mask) {
      const s = hashes[i] as number;
      if (s === 0) break;
      if (((i - (s & mask)) & mask) >= ((i - hole) & mask)) {
        hashes[hole] = s;
        slots[hole] = slots[i];
        hole = i;
      }
    }
    hashes[hole] = 0;
    this.#used--;
    this.#freeEntries.push(e);
  }

  #remember(e: Entry, agent: Agent, at: number): void {
    if (e.contact === undefined) {
      this.#remembered++;
      this.#append(e);
    } else if (e !== this.#newest) {
      this.#unlink(e);
      this.#append(e);
    }
    e.contact = agent;
    e.at = at;
    let oldest = this.#oldest;
    while (oldest !== undefined && at - oldest.at > WINDOW) {
      this.#forget(oldest);
      oldest = this.#oldest;
    }
    while (this.#remembered > MAX_CONTACTS) this.#forget(this.#oldest as Entry);
  }

  #forget(e: Entry): void {
    this.#unlink(e);
    e.contact = undefined;
    this.#remembered--;
    if (e.where === W_NONE) this.#discard(e);
  }

  #append(e: Entry): void {
    e.older = this.#newest;
    e.newer = undefined;
    if (this.#newest === undefined) this.#oldest = e;
    else this.#newest.newer = e;
    this.#newest = e;
  }

  #unlink(e: Entry): void {
    const older = e.older, newer = e.newer;
    if (older === undefined) this.#oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this.#newest = older;
    else newer.older = older;
    e.newer = undefined;
    e.older = undefined;
  }

  #enqueue(e: Entry): number {
    const q = this.#queue;
    const since = e.since, order = e.order;
    let lo = 0, hi = q.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = q[mid] as Entry;
      const ms = m.since;
      if (ms < since || (ms === since && m.order < order)) lo = mid + 1;
      else hi = mid;
    }
    q.splice(lo, 0, e);
    return lo + 1;
  }

  #drain(out: ObjectDecision[]): void {
    const q = this.#queue;
    for (let i = 0; i < q.length && this.#openSlots > 0;) {
      const e = q[i] as Entry;
      const d = this.#decide(e, DRAIN, undefined);
      if (d === undefined) {
        i++;
        continue;
      }
      q.splice(i, 1);
      out.push(d);
    }
  }
}
