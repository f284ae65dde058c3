/**
 * fenliu's decisions on the benched path, with every record in typed arrays: the data model that
 * `docs/performance.md` names as the cure for fenliu's per-agent objects, built to measure what it
 * would gain before the core is rewritten around it.
 *
 * Same path and rules as `linear-router.ts` (one shop, one pool, `weighted` split, busy threshold 4,
 * human-first without a robot, the waiting queue, the router's own 72 h contact memory), and the
 * same structures as fenliu's `Router` — WF2Q+ over Ready, Waiting and Busy heaps, the customer table
 * by open addressing with backward-shift deletion, the contact memory as a list in time order — but
 * an agent is a number whose fields are eight doubles and eight ints side by side in two typed
 * arrays (a cache line each), a customer is a number whose entry (contact, open consultation, list
 * links) is in two more, and the heaps hold numbers. What it keeps as objects: the id strings, the
 * agent-id Map, and the decision it returns. `bench/check.ts` checks that it makes exactly fenliu's
 * decisions before it is timed.
 *
 * What it leaves out, being a measure and not a router: bound groups (one pool, so an agent's one
 * membership is the agent itself), suspended agents, dedicated agents and caller-supplied contacts,
 * the robot, priorities, offline messages, snapshots, removal of agents, and validation beyond types.
 */

import { hashId } from '../../src/structures/id-table.js';

const BUSY = 4;
const WINDOW = 72 * 60 * 60 * 1000;
const MAX_CONTACTS = 1_000_000;

// Agent a's numbers: #agentNum[8a + field] (a Float64Array, one cache line an agent).
const PENDING = 0;
const ACTIVE = 1;
const CAP = 2;
const LASTSEQ = 3;
const START = 4;
const FINISH = 5;
const COUNTED = 6;
const WEIGHT = 7;
// Agent a's small integers: #agentInt[8a + field]; FIRST and LAST: its open consultations' list.
const STATUS = 0;
const TIER = 1;
const PLACED = 2;
const HASSLOT = 3;
const FIRST = 4;
const LAST = 5;
const PLACEDSEQ = 6;
// Customer entry e's integers: #entryInt[8e + field]; PREV/NEXT: its agent's list, NEWER/OLDER: the contact memory's.
const E_CONTACT = 0;
const E_AGENT = 1;
const E_WHERE = 2;
const E_PREV = 3;
const E_NEXT = 4;
const E_NEWER = 5;
const E_OLDER = 6;
const E_HASH = 7;
// Customer entry e's numbers: #entryNum[4e + field].
const E_AT = 0;
const E_SINCE = 1;
const E_ORDER = 2;
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

export type TypedDecision =
  | { kind: 'agent'; customerId: string; at: number; agentId: string; reason: string; reroutedFrom?: string }
  | { kind: 'queued'; customerId: string; at: number; position: number; reason: 'no-human'; reroutedFrom?: string };

export class TypedRouter {
  readonly #agentIndex = new Map<string, number>();
  readonly #agentIds: string[] = [];
  #agentNum = new Float64Array(8 * 16);
  #agentInt = new Int32Array(8 * 16);
  // Customers: entries by number, found through an open-addressing table of (hash, entry).
  #entryInt = new Int32Array(8 * 16);
  #entryNum = new Float64Array(4 * 16);
  #entryIds: string[] = [];
  #freeEntries: number[] = [];
  /** Entry numbers handed out so far. */
  #entries = 0;
  #hashes = new Int32Array(16);
  #slots = new Int32Array(16);
  #mask = 15;
  #used = 0;
  #oldest = -1;
  #newest = -1;
  #remembered = 0;
  readonly #excluded = new Map<number, Set<number>>();
  readonly #queue: number[] = [];
  // The one pool: WF2Q+'s virtual time and non-busy weight, and its three tiers.
  #virtualTime = 0;
  #totalWeight = 0;
  readonly #tie = (a: number, b: number): boolean => (this.#agentIds[a] as string) < (this.#agentIds[b] as string);
  readonly #ready = new NumberHeap(this.#tie);
  readonly #waiting = new NumberHeap(this.#tie);
  readonly #busy = new NumberHeap(this.#tie);
  #now = Number.NEGATIVE_INFINITY;
  #seq = 0;
  #arrivals = 0;
  #present = 0;
  #openSlots = 0;

  addAgent(id: string, weight: number, cap: number, at: number): void {
    const a = this.#agentIds.length;
    this.#agentIds.push(id);
    this.#agentIndex.set(id, a);
    if (8 * (a + 1) > this.#agentNum.length) {
      const num = new Float64Array(this.#agentNum.length * 2);
      num.set(this.#agentNum);
      this.#agentNum = num;
      const int = new Int32Array(this.#agentInt.length * 2);
      int.set(this.#agentInt);
      this.#agentInt = int;
    }
    const b = 8 * a;
    this.#agentNum[b + WEIGHT] = weight;
    this.#agentNum[b + CAP] = cap;
    this.#agentInt[b + FIRST] = -1;
    this.#agentInt[b + LAST] = -1;
    this.#agentInt[b + PLACED] = P_UNKNOWN;
    this.setStatus(id, 'online', at);
  }

  route(customerId: string, at: number): TypedDecision {
    if (typeof customerId !== 'string' || customerId.length === 0) throw new TypeError('customerId');
    const h = hashId(customerId);
    let e = this.#find(customerId, h);
    if (e >= 0 && this.#entryInt[8 * e + E_WHERE] !== W_NONE) throw new Error(`${customerId} is open`);
    this.#time(at);
    if (e < 0) e = this.#insert(customerId, h);
    const ei = this.#entryInt, en = this.#entryNum;
    ei[8 * e + E_WHERE] = W_QUEUED;
    en[4 * e + E_SINCE] = at;
    en[4 * e + E_ORDER] = ++this.#arrivals;
    return this.#decide(e, NEW, -1) as TypedDecision;
  }

  end(customerId: string, at: number): TypedDecision[] {
    if (typeof customerId !== 'string') throw new TypeError('customerId');
    const e = this.#find(customerId, hashId(customerId));
    if (e < 0 || this.#entryInt[8 * e + E_WHERE] === W_NONE) throw new Error(`${customerId} is not open`);
    this.#time(at);
    const out: TypedDecision[] = [];
    const where = this.#entryInt[8 * e + E_WHERE];
    if (where === W_QUEUED) {
      this.#queue.splice(this.#queue.indexOf(e), 1);
    } else {
      this.#release(e);
      this.#drain(out);
    }
    this.#entryInt[8 * e + E_WHERE] = W_NONE;
    if (this.#excluded.size > 0) this.#excluded.delete(e);
    if ((this.#entryInt[8 * e + E_CONTACT] as number) < 0) this.#discard(e);
    return out;
  }

  setPending(agentId: string, pending: number): void {
    const a = this.#agentIndex.get(agentId);
    if (a === undefined) throw new Error(`unknown ${agentId}`);
    if (!(Number.isInteger(pending) && pending >= 0)) throw new TypeError('pending');
    const n = this.#agentNum;
    if (n[8 * a + PENDING] === pending) return;
    n[8 * a + PENDING] = pending;
    this.#refresh(a);
  }

  setStatus(agentId: string, status: 'online' | 'offline', at: number): TypedDecision[] {
    const a = this.#agentIndex.get(agentId);
    if (a === undefined) throw new Error(`unknown ${agentId}`);
    this.#time(at);
    const s = status === 'online' ? 1 : 0;
    const ai = this.#agentInt;
    if (ai[8 * a + STATUS] === s) return [];
    this.#present += s === 1 ? 1 : -1;
    ai[8 * a + STATUS] = s;
    this.#refresh(a);
    const out: TypedDecision[] = [];
    if (s === 0) {
      const list: number[] = [];
      for (let e = ai[8 * a + FIRST] as number; e >= 0; e = this.#entryInt[8 * e + E_NEXT] as number) list.push(e);
      const en = this.#entryNum;
      list.sort((x, y) => (en[4 * x + E_SINCE] as number) - (en[4 * y + E_SINCE] as number) || (en[4 * x + E_ORDER] as number) - (en[4 * y + E_ORDER] as number));
      for (const e of list) {
        this.#release(e);
        let set = this.#excluded.get(e);
        if (set === undefined) this.#excluded.set(e, (set = new Set()));
        set.add(a);
        out.push(this.#decide(e, REROUTE, a) as TypedDecision);
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
  #decide(e: number, stage: number, from: number): TypedDecision | undefined {
    const at = this.#now;
    const customerId = this.#entryIds[e] as string;
    let agent = -1;
    let reason = 'split';
    let fromPool = false;
    const excluded = this.#excluded.size === 0 ? undefined : this.#excluded.get(e);
    if (this.#present > 0) {
      const ei = this.#entryInt;
      const c = ei[8 * e + E_CONTACT] as number;
      if (c >= 0 && at - (this.#entryNum[4 * e + E_AT] as number) <= WINDOW) {
        const n = this.#agentNum;
        if ((n[8 * c + ACTIVE] as number) < (n[8 * c + CAP] as number) && this.#agentInt[8 * c + STATUS] === 1 && !(excluded?.has(c) ?? false)) {
          agent = c;
          reason = 'recent-contact';
        }
      }
      if (agent < 0) {
        agent = this.#choose(excluded);
        if (agent >= 0) {
          fromPool = true;
          reason = this.#agentInt[8 * agent + TIER] === BUSY_TIER ? 'busy-fallback' : 'split';
        }
      }
    }
    if (agent < 0) {
      if (stage === DRAIN) return undefined;
      this.#entryInt[8 * e + E_WHERE] = W_QUEUED;
      const position = this.#enqueue(e);
      return from < 0
        ? { kind: 'queued', customerId, at, position, reason: 'no-human' }
        : { kind: 'queued', customerId, at, position, reason: 'no-human', reroutedFrom: this.#agentIds[from] as string };
    }
    const n = this.#agentNum, ai = this.#agentInt, b = 8 * agent;
    n[b + LASTSEQ] = ++this.#seq;
    if (fromPool) {
      this.#charge(agent);
      // Its only membership now carries the new lastSeq: #refresh need not place it again unless its tier changes.
      const t = ai[b + TIER];
      if ((t === READY && this.#ready.seqOf(agent) === this.#seq) || (t === WAITING && this.#waiting.seqOf(agent) === this.#seq)) ai[b + PLACEDSEQ] = this.#seq;
    }
    n[b + ACTIVE] = (n[b + ACTIVE] as number) + 1;
    n[b + PENDING] = (n[b + PENDING] as number) + 1;
    const ei = this.#entryInt;
    const last = ai[b + LAST] as number;
    ei[8 * e + E_PREV] = last;
    ei[8 * e + E_NEXT] = -1;
    if (last < 0) ai[b + FIRST] = e;
    else ei[8 * last + E_NEXT] = e;
    ai[b + LAST] = e;
    ei[8 * e + E_WHERE] = W_AGENT;
    ei[8 * e + E_AGENT] = agent;
    this.#remember(e, agent, at);
    this.#refresh(agent);
    const agentId = this.#agentIds[agent] as string;
    const r = stage === DRAIN ? 'queue' : reason;
    return from < 0 ? { kind: 'agent', customerId, at, agentId, reason: r } : { kind: 'agent', customerId, at, agentId, reason: r, reroutedFrom: this.#agentIds[from] as string };
  }

  #choose(excluded: Set<number> | undefined): number {
    if (excluded === undefined || excluded.size === 0) {
      const r = this.#ready.peek();
      return r >= 0 ? r : this.#busy.peek();
    }
    const v = this.#virtualTime;
    const n = this.#agentNum;
    const due = this.#ready.firstWhere((a) => (n[8 * a + START] as number) <= v && !excluded.has(a));
    if (due >= 0) return due;
    let best = -1;
    for (const a of [...this.#ready.values(), ...this.#waiting.values()]) {
      if (excluded.has(a)) continue;
      if (best < 0) {
        best = a;
        continue;
      }
      const sa = n[8 * a + START] as number, sb = n[8 * best + START] as number;
      if (sa < sb || (sa === sb && this.#before(a, best))) best = a;
    }
    if (best >= 0) return best;
    return this.#busy.firstWhere((a) => !excluded.has(a));
  }

  #before(a: number, b: number): boolean {
    const ka = this.#keyOf(a), kb = this.#keyOf(b);
    if (ka !== kb) return ka < kb;
    const sa = this.#agentNum[8 * a + LASTSEQ] as number, sb = this.#agentNum[8 * b + LASTSEQ] as number;
    if (sa !== sb) return sa < sb;
    return this.#tie(a, b);
  }

  #keyOf(a: number): number {
    const t = this.#agentInt[8 * a + TIER];
    return t === READY ? this.#ready.keyOf(a) : t === WAITING ? this.#waiting.keyOf(a) : t === BUSY_TIER ? this.#busy.keyOf(a) : 0;
  }

  #release(e: number): void {
    const ei = this.#entryInt, ai = this.#agentInt;
    const a = ei[8 * e + E_AGENT] as number;
    const b = 8 * a;
    this.#agentNum[b + ACTIVE] = (this.#agentNum[b + ACTIVE] as number) - 1;
    const prev = ei[8 * e + E_PREV] as number, next = ei[8 * e + E_NEXT] as number;
    if (prev < 0) ai[b + FIRST] = next;
    else ei[8 * prev + E_NEXT] = next;
    if (next < 0) ai[b + LAST] = prev;
    else ei[8 * next + E_PREV] = prev;
    ei[8 * e + E_AGENT] = -1;
    this.#refresh(a);
  }

  #refresh(a: number): void {
    const n = this.#agentNum, ai = this.#agentInt, b = 8 * a;
    const online = ai[b + STATUS] === 1;
    const underCap = (n[b + ACTIVE] as number) < (n[b + CAP] as number);
    const available = online && underCap;
    const busy = (n[b + PENDING] as number) > BUSY;
    const placed = !available ? P_OUT : busy ? P_BUSY : P_FREE;
    const seq = n[b + LASTSEQ] as number;
    if (placed !== ai[b + PLACED] || placed === P_BUSY || seq !== ai[b + PLACEDSEQ]) {
      this.#place(a, available, busy);
      ai[b + PLACED] = placed;
      ai[b + PLACEDSEQ] = seq;
    }
    const hasSlot = underCap && online ? 1 : 0;
    if (hasSlot !== ai[b + HASSLOT]) {
      this.#openSlots += hasSlot === 1 ? 1 : -1;
      ai[b + HASSLOT] = hasSlot;
    }
  }

  #place(a: number, available: boolean, busy: boolean): void {
    const n = this.#agentNum, ai = this.#agentInt, b = 8 * a;
    const from = ai[b + TIER];
    const wasNonBusy = from === READY || from === WAITING;
    if (available && !busy) {
      const w = n[b + WEIGHT] as number;
      if (!wasNonBusy) {
        if ((n[b + START] as number) < this.#virtualTime) n[b + START] = this.#virtualTime;
        n[b + FINISH] = (n[b + START] as number) + 1 / w;
        this.#totalWeight += w;
        n[b + COUNTED] = w;
      }
      this.#sort(a);
    } else {
      if (wasNonBusy) {
        this.#totalWeight -= n[b + COUNTED] as number;
        n[b + COUNTED] = 0;
        if (this.#ready.size + this.#waiting.size === 1) this.#totalWeight = 0;
      }
      this.#move(a, available ? BUSY_TIER : OUT);
    }
    this.#settle();
  }

  #charge(a: number): void {
    const n = this.#agentNum, b = 8 * a;
    const t = this.#agentInt[b + TIER];
    if (t !== READY && t !== WAITING) return;
    if ((n[b + START] as number) > this.#virtualTime) this.#virtualTime = n[b + START] as number;
    this.#virtualTime += 1 / this.#totalWeight;
    n[b + START] = n[b + FINISH] as number;
    n[b + FINISH] = (n[b + START] as number) + 1 / (n[b + COUNTED] as number);
    if (t === READY) this.#move(a, READY);
    else this.#sort(a);
    this.#settle();
  }

  #sort(a: number): void {
    this.#move(a, this.#agentInt[8 * a + TIER] === READY || (this.#agentNum[8 * a + START] as number) <= this.#virtualTime ? READY : WAITING);
  }

  #move(a: number, tier: number): void {
    const n = this.#agentNum, ai = this.#agentInt, b = 8 * a;
    const key = tier === READY ? (n[b + FINISH] as number) : tier === WAITING ? (n[b + START] as number) : tier === BUSY_TIER ? (n[b + PENDING] as number) / (n[b + WEIGHT] as number) : 0;
    const seq = n[b + LASTSEQ] as number;
    const from = ai[b + TIER] as number;
    if (from === tier) {
      const heap = this.#heap(tier);
      if (heap === undefined || (heap.keyOf(a) === key && heap.seqOf(a) === seq)) return;
      heap.update(a, key, seq);
      return;
    }
    this.#heap(from)?.remove(a);
    ai[b + TIER] = tier;
    this.#heap(tier)?.push(a, key, seq);
  }

  #heap(tier: number): NumberHeap | undefined {
    return tier === READY ? this.#ready : tier === WAITING ? this.#waiting : tier === BUSY_TIER ? this.#busy : undefined;
  }

  #settle(): void {
    const ready = this.#ready, waiting = this.#waiting, n = this.#agentNum;
    for (;;) {
      let next = waiting.peek();
      if (next >= 0 && ready.size === 0 && (n[8 * next + START] as number) > this.#virtualTime) this.#virtualTime = n[8 * next + START] as number;
      while (next >= 0 && (n[8 * next + START] as number) <= this.#virtualTime) {
        this.#move(next, READY);
        next = waiting.peek();
      }
      const root = ready.peek();
      if (root < 0 || (n[8 * root + START] as number) <= this.#virtualTime) return;
      this.#move(root, WAITING);
    }
  }

  // ── the customer table and the contact memory ──
  #find(id: string, h: number): number {
    const hashes = this.#hashes, mask = this.#mask;
    let i = h & mask;
    // Unbounded like #placeSlot (no overflow map here: the benchmark's ids are not chosen to collide);
    // at most half the slots are used, so a free slot ends every run.
    for (;;) {
      const s = hashes[i] as number;
      if (s === 0) return -1;
      if (s === h) {
        const e = this.#slots[i] as number;
        if (this.#entryIds[e] === id) return e;
      }
      i = (i + 1) & mask;
    }
  }

  #insert(id: string, h: number): number {
    let e = this.#freeEntries.pop();
    if (e === undefined) {
      e = this.#entries++;
      if (8 * (e + 1) > this.#entryInt.length) {
        const int = new Int32Array(this.#entryInt.length * 2);
        int.set(this.#entryInt);
        this.#entryInt = int;
        const num = new Float64Array(this.#entryNum.length * 2);
        num.set(this.#entryNum);
        this.#entryNum = num;
      }
    }
    this.#entryIds[e] = id;
    const ei = this.#entryInt, b = 8 * e;
    ei[b + E_CONTACT] = -1;
    ei[b + E_AGENT] = -1;
    ei[b + E_WHERE] = W_NONE;
    ei[b + E_NEWER] = -1;
    ei[b + E_OLDER] = -1;
    ei[b + E_HASH] = h;
    if (2 * (this.#used + 1) > this.#hashes.length) this.#resize(2 * this.#hashes.length);
    this.#placeSlot(e, h);
    return e;
  }

  #placeSlot(e: number, h: number): void {
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
    this.#slots = new Int32Array(capacity);
    this.#mask = capacity - 1;
    this.#used = 0;
    for (let i = 0; i < oldH.length; i++) if (oldH[i] !== 0) this.#placeSlot(oldS[i] as number, oldH[i] as number);
  }

  #discard(e: number): void {
    const hashes = this.#hashes, slots = this.#slots, mask = this.#mask;
    let hole = (this.#entryInt[8 * e + E_HASH] as number) & mask;
    while (slots[hole] !== e || hashes[hole] === 0) hole = (hole + 1) & mask;
    for (let i = (hole + 1) & mask; ; i = (i + 1) & mask) {
      const s = hashes[i] as number;
      if (s === 0) break;
      if (((i - (s & mask)) & mask) >= ((i - hole) & mask)) {
        hashes[hole] = s;
        slots[hole] = slots[i] as number;
        hole = i;
      }
    }
    hashes[hole] = 0;
    this.#used--;
    this.#freeEntries.push(e);
  }

  #remember(e: number, agent: number, at: number): void {
    const ei = this.#entryInt;
    if (ei[8 * e + E_CONTACT] === -1) {
      this.#remembered++;
      this.#append(e);
    } else if (e !== this.#newest) {
      this.#unlink(e);
      this.#append(e);
    }
    ei[8 * e + E_CONTACT] = agent;
    this.#entryNum[4 * e + E_AT] = at;
    let oldest = this.#oldest;
    while (oldest >= 0 && at - (this.#entryNum[4 * oldest + E_AT] as number) > WINDOW) {
      this.#forget(oldest);
      oldest = this.#oldest;
    }
    while (this.#remembered > MAX_CONTACTS) this.#forget(this.#oldest);
  }

  #forget(e: number): void {
    this.#unlink(e);
    this.#entryInt[8 * e + E_CONTACT] = -1;
    this.#remembered--;
    if (this.#entryInt[8 * e + E_WHERE] === W_NONE) this.#discard(e);
  }

  #append(e: number): void {
    const ei = this.#entryInt;
    ei[8 * e + E_OLDER] = this.#newest;
    ei[8 * e + E_NEWER] = -1;
    if (this.#newest < 0) this.#oldest = e;
    else ei[8 * this.#newest + E_NEWER] = e;
    this.#newest = e;
  }

  #unlink(e: number): void {
    const ei = this.#entryInt;
    const older = ei[8 * e + E_OLDER] as number, newer = ei[8 * e + E_NEWER] as number;
    if (older < 0) this.#oldest = newer;
    else ei[8 * older + E_NEWER] = newer;
    if (newer < 0) this.#newest = older;
    else ei[8 * newer + E_OLDER] = older;
    ei[8 * e + E_NEWER] = -1;
    ei[8 * e + E_OLDER] = -1;
  }

  #enqueue(e: number): number {
    const q = this.#queue, en = this.#entryNum;
    const since = en[4 * e + E_SINCE] as number, order = en[4 * e + E_ORDER] as number;
    let lo = 0, hi = q.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = q[mid] as number;
      const ms = en[4 * m + E_SINCE] as number;
      if (ms < since || (ms === since && (en[4 * m + E_ORDER] as number) < order)) lo = mid + 1;
      else hi = mid;
    }
    q.splice(lo, 0, e);
    return lo + 1;
  }

  #drain(out: TypedDecision[]): void {
    const q = this.#queue;
    for (let i = 0; i < q.length && this.#openSlots > 0;) {
      const e = q[i] as number;
      const d = this.#decide(e, DRAIN, -1);
      if (d === undefined) {
        i++;
        continue;
      }
      q.splice(i, 1);
      out.push(d);
    }
  }
}

/**
 * fenliu's IndexedHeap with element numbers instead of element objects: the element in each slot,
 * its key and seq by slot and each element's slot by number, all in typed arrays.
 */
class NumberHeap {
  // Invariant: for every slot i < size: slotOf[ids[i]] === i, keys[i] and seqs[i] are the key and
  // seq ids[i] had when last pushed or updated, and for i > 0 slot i is not before its parent. Every
  // element not in the heap has slotOf -1 (or lies beyond slotOf's length).
  #ids = new Int32Array(16);
  #keys = new Float64Array(16);
  #seqs = new Float64Array(16);
  #slotOf = new Int32Array(16).fill(-1);
  #size = 0;
  readonly #tie: (a: number, b: number) => boolean;

  /** @param tie - the order of two elements of equal key and seq. */
  constructor(tie: (a: number, b: number) => boolean) {
    this.#tie = tie;
  }

  get size(): number {
    return this.#size;
  }

  /** The least element, or -1 when the heap is empty. */
  peek(): number {
    return this.#size === 0 ? -1 : (this.#ids[0] as number);
  }

  has(id: number): boolean {
    return id < this.#slotOf.length && (this.#slotOf[id] as number) >= 0;
  }

  /** Adds an element that is not in the heap. */
  push(id: number, key: number, seq: number): void {
    const i = this.#size;
    if (i === this.#ids.length) this.#growSlots();
    if (id >= this.#slotOf.length) this.#growIds(id);
    this.#size = i + 1;
    this.#ids[i] = id;
    this.#keys[i] = key;
    this.#seqs[i] = seq;
    this.#slotOf[id] = i;
    this.#up(i);
  }

  /** Takes out an element that is in the heap. */
  remove(id: number): void {
    const slotOf = this.#slotOf;
    const i = slotOf[id] as number;
    slotOf[id] = -1;
    const n = --this.#size;
    if (i === n) return;
    const last = this.#ids[n] as number;
    this.#ids[i] = last;
    this.#keys[i] = this.#keys[n] as number;
    this.#seqs[i] = this.#seqs[n] as number;
    slotOf[last] = i;
    if (!this.#up(i)) this.#down(i);
  }

  /** Gives an element that is in the heap a new key and seq, and restores the order in either direction. */
  update(id: number, key: number, seq: number): void {
    const i = this.#slotOf[id] as number;
    this.#keys[i] = key;
    this.#seqs[i] = seq;
    if (!this.#up(i)) this.#down(i);
  }

  /**
   * The least element that `accept` takes, or -1, found by a best-first walk from the root: it
   * visits only the rejected elements and their children, so it is cheap when few are rejected.
   */
  firstWhere(accept: (id: number) => boolean): number {
    const ids = this.#ids;
    const n = this.#size;
    if (n === 0) return -1;
    if (accept(ids[0] as number)) return ids[0] as number;
    const frontier: number[] = [0];
    while (frontier.length > 0) {
      let best = 0;
      for (let k = 1; k < frontier.length; k++) if (this.#slotBefore(frontier[k] as number, frontier[best] as number)) best = k;
      const slot = frontier[best] as number;
      frontier[best] = frontier[frontier.length - 1] as number;
      frontier.pop();
      const id = ids[slot] as number;
      if (accept(id)) return id;
      const left = 2 * slot + 1;
      if (left < n) frontier.push(left);
      if (left + 1 < n) frontier.push(left + 1);
    }
    return -1;
  }

  /** The elements, in no particular order; for snapshots and checks, never for choosing. */
  values(): number[] {
    return Array.from(this.#ids.subarray(0, this.#size));
  }

  keyOf(id: number): number {
    return this.#keys[this.#slotOf[id] as number] as number;
  }

  seqOf(id: number): number {
    return this.#seqs[this.#slotOf[id] as number] as number;
  }

  #slotBefore(i: number, j: number): boolean {
    const ki = this.#keys[i] as number;
    const kj = this.#keys[j] as number;
    if (ki !== kj) return ki < kj;
    const si = this.#seqs[i] as number;
    const sj = this.#seqs[j] as number;
    if (si !== sj) return si < sj;
    return this.#tie(this.#ids[i] as number, this.#ids[j] as number);
  }

  #growSlots(): void {
    const capacity = this.#ids.length * 2;
    const ids = new Int32Array(capacity);
    ids.set(this.#ids);
    this.#ids = ids;
    const keys = new Float64Array(capacity);
    keys.set(this.#keys);
    this.#keys = keys;
    const seqs = new Float64Array(capacity);
    seqs.set(this.#seqs);
    this.#seqs = seqs;
  }

  #growIds(id: number): void {
    let capacity = this.#slotOf.length * 2;
    while (capacity <= id) capacity *= 2;
    const slotOf = new Int32Array(capacity).fill(-1);
    slotOf.set(this.#slotOf);
    this.#slotOf = slotOf;
  }

  /** Moves slot i's element up to its place; whether it moved. */
  #up(start: number): boolean {
    const ids = this.#ids;
    const keys = this.#keys;
    const seqs = this.#seqs;
    const slotOf = this.#slotOf;
    const id = ids[start] as number;
    const key = keys[start] as number;
    const seq = seqs[start] as number;
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p] as number;
      if (key > pk) break;
      const parent = ids[p] as number;
      if (key === pk) {
        const ps = seqs[p] as number;
        if (seq > ps || (seq === ps && !this.#tie(id, parent))) break;
      }
      ids[i] = parent;
      slotOf[parent] = i;
      keys[i] = pk;
      seqs[i] = seqs[p] as number;
      i = p;
    }
    if (i === start) return false;
    ids[i] = id;
    slotOf[id] = i;
    keys[i] = key;
    seqs[i] = seq;
    return true;
  }

  #down(i: number): void {
    const ids = this.#ids;
    const keys = this.#keys;
    const seqs = this.#seqs;
    const slotOf = this.#slotOf;
    const n = this.#size;
    const id = ids[i] as number;
    const key = keys[i] as number;
    const seq = seqs[i] as number;
    const start = i;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.#slotBefore(right, left)) child = right;
      const ck = keys[child] as number;
      if (ck > key) break;
      const c = ids[child] as number;
      if (ck === key) {
        const cs = seqs[child] as number;
        if (cs > seq || (cs === seq && !this.#tie(c, id))) break;
      }
      ids[i] = c;
      slotOf[c] = i;
      keys[i] = ck;
      seqs[i] = seqs[child] as number;
      i = child;
    }
    if (i === start) return;
    ids[i] = id;
    slotOf[id] = i;
    keys[i] = key;
    seqs[i] = seq;
  }
}
