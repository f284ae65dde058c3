/**
 * The "obvious" router: the same decisions as fenliu's `Router` on one path, found by scanning
 * every agent on every pick instead of keeping heaps. It is the reference of
 * `linear-router.test.ts` (decision by decision against fenliu) and the linear-scan baseline of
 * `npm run bench`.
 *
 * The path: one shop, one candidate pool (no bound groups), `weighted` split, human-first, no
 * robot, the waiting queue for "nobody can take it", agents `online` or `offline`, the router's own
 * contact memory (no caller-supplied contacts, no dedicated agents). Within it the rules and the
 * tie-break order are fenliu's, down to the floating-point operations of WF2Q+.
 *
 * What it keeps O(1): agent and consultation lookups (Maps), the contact memory (an insertion-
 * ordered Map, swept of expired entries every 1,024 assignments). What it scans: every pick (O(n)), and the non-busy set when an agent
 * joins it (or its last member leaves), to bring WF2Q+'s virtual time up to date: fenliu keeps
 * that time current after every change with its heaps; scanning, it is cheaper to do it lazily,
 * before each read, which yields the same values.
 */

const BUSY_THRESHOLD = 4;
const STICKY_WINDOW_MS = 72 * 60 * 60 * 1000;
const MAX_CONTACTS = 1_000_000;

export type LinearStatus = 'online' | 'offline';

interface LinearAgent {
  readonly id: string;
  readonly weight: number;
  readonly cap: number;
  status: LinearStatus;
  pending: number;
  active: number;
  assigned: number;
  lastSeq: number;
  /** WF2Q+ virtual start and finish times. */
  start: number;
  finish: number;
  /** In the non-busy set (online, under cap, pending <= threshold); its weight counts in `#totalWeight`. */
  nonBusy: boolean;
  countedWeight: number;
  readonly open: Set<LinearOpen>;
}

interface LinearOpen {
  readonly customerId: string;
  readonly since: number;
  readonly order: number;
  excluded: Set<string> | undefined;
  where: 'new' | 'agent' | 'queued';
  agent: LinearAgent | undefined;
  /** With an agent: it awaits the reply, counted in the agent's pending until it leaves. */
  awaiting: boolean;
  queuedAt: number;
}

export type LinearDecision =
  | { kind: 'agent'; customerId: string; at: number; agentId: string; reason: 'recent-contact' | 'split' | 'busy-fallback'; reroutedFrom?: string; waitedMs?: number }
  | { kind: 'queued'; customerId: string; at: number; position: number; reason: 'no-human'; reroutedFrom?: string };

type Stage = 'new' | 'reroute' | 'drain';

function fail(what: string, got: unknown): never {
  throw new TypeError(`Expected ${what}, got ${String(got)}`);
}

// fenliu's tie-break order, as comparisons: the tier's key, then least recently assigned, then id.
function tieBefore(a: LinearAgent, b: LinearAgent): boolean {
  if (a.lastSeq !== b.lastSeq) return a.lastSeq < b.lastSeq;
  return a.id < b.id;
}
const finishBefore = (a: LinearAgent, b: LinearAgent): boolean => (a.finish !== b.finish ? a.finish < b.finish : tieBefore(a, b));
const loadBefore = (a: LinearAgent, b: LinearAgent): boolean => {
  const la = a.pending / a.weight;
  const lb = b.pending / b.weight;
  return la !== lb ? la < lb : tieBefore(a, b);
};

export class LinearRouter {
  /** Agents in insertion order: the array every pick scans. */
  readonly #list: LinearAgent[] = [];
  readonly #agents = new Map<string, LinearAgent>();
  readonly #open = new Map<string, LinearOpen>();
  /** Insertion order is ascending time: expiry and eviction take from the front. */
  readonly #memory = new Map<string, { agentId: string; at: number }>();
  /** Queued consultations in service order (priority is always 0 here: arrival, then routing order). */
  readonly #queue: LinearOpen[] = [];
  #virtualTime = 0;
  /** fenliu's arithmetic: V = anchor + picks / totalWeight since V last jumped or the total weight changed. */
  #anchor = 0;
  #picks = 0;
  #totalWeight = 0;
  #nonBusyCount = 0;
  #seq = 0;
  #arrivals = 0;
  #present = 0;
  #now = Number.NEGATIVE_INFINITY;
  #sinceSweep = 0;

  /** Adds an agent, on line; returns what the queue's drain assigned to it. */
  addAgent(id: string, weight: number, cap: number, at: number): LinearDecision[] {
    if (typeof id !== 'string' || id.length === 0) fail('a non-empty agent id', id);
    if (this.#agents.has(id)) fail('a new agent id', id);
    this.#time(at);
    const agent: LinearAgent = {
      id, weight, cap, status: 'offline', pending: 0, active: 0, assigned: 0, lastSeq: 0,
      start: 0, finish: 0, nonBusy: false, countedWeight: 0, open: new Set(),
    };
    this.#agents.set(id, agent);
    this.#list.push(agent);
    return this.setStatus(id, 'online', at);
  }

  route(customerId: string, at: number): LinearDecision {
    if (typeof customerId !== 'string' || customerId.length === 0) fail('a non-empty customer id', customerId);
    if (this.#open.has(customerId)) fail('a customer without an open consultation', customerId);
    this.#time(at);
    const open: LinearOpen = { customerId, since: at, order: ++this.#arrivals, excluded: undefined, where: 'new', agent: undefined, awaiting: false, queuedAt: at };
    this.#open.set(customerId, open);
    return this.#decide(open, 'new', at, undefined) as LinearDecision;
  }

  end(customerId: string, at: number): LinearDecision[] {
    const open = this.#open.get(customerId);
    if (open === undefined) fail('an open consultation', customerId);
    this.#time(at);
    this.#open.delete(customerId);
    const out: LinearDecision[] = [];
    if (open.where === 'queued') {
      this.#queue.splice(this.#queue.indexOf(open), 1);
    } else {
      // Rule 2: the agent is remembered as it served the customer, to the end.
      this.#remember(customerId, (open.agent as LinearAgent).id, at);
      this.#release(open);
      this.#drain(at, out);
    }
    return out;
  }

  /** The agent declined the consultation: it is re-routed, kept from that agent and every one it was kept from. */
  decline(customerId: string, at: number): LinearDecision[] {
    const open = this.#open.get(customerId);
    if (open?.where !== 'agent') fail('a consultation with an agent', customerId);
    this.#time(at);
    const agent = open.agent as LinearAgent;
    this.#release(open);
    (open.excluded ??= new Set()).add(agent.id);
    const out = [this.#decide(open, 'reroute', at, agent.id) as LinearDecision];
    this.#drain(at, out);
    return out;
  }

  setPending(agentId: string, pending: number): void {
    const agent = this.#agent(agentId);
    if (!Number.isInteger(pending) || pending < 0) fail('an integer >= 0', pending);
    if (agent.pending === pending) return;
    agent.pending = pending;
    this.#refresh(agent);
  }

  setStatus(agentId: string, status: LinearStatus, at: number): LinearDecision[] {
    const agent = this.#agent(agentId);
    this.#time(at);
    const out: LinearDecision[] = [];
    if (agent.status === status) return out;
    this.#present += status === 'offline' ? -1 : 1;
    agent.status = status;
    this.#refresh(agent);
    if (status === 'offline') {
      const list = [...agent.open].sort((a, b) => a.since - b.since || a.order - b.order);
      for (const open of list) {
        this.#remember(open.customerId, agent.id, at);
        this.#release(open);
        (open.excluded ??= new Set()).add(agent.id);
        out.push(this.#decide(open, 'reroute', at, agent.id) as LinearDecision);
      }
    }
    this.#drain(at, out);
    return out;
  }

  /** Assignments so far per agent, for checks. */
  assigned(agentId: string): number {
    return this.#agent(agentId).assigned;
  }

  /** The fair-share state, for checks against fenliu's snapshot. */
  fairState(): { virtualTime: number; totalWeight: number; agents: { id: string; start: number; finish: number; nonBusy: boolean; pending: number; active: number }[] } {
    return {
      virtualTime: this.#virtualTime,
      totalWeight: this.#totalWeight,
      agents: this.#list.map((a) => ({ id: a.id, start: a.start, finish: a.finish, nonBusy: a.nonBusy, pending: a.pending, active: a.active })),
    };
  }

  #time(at: number): void {
    if (typeof at !== 'number' || !Number.isFinite(at) || at < this.#now) fail('a finite time not before the latest one', at);
    this.#now = at;
  }

  #agent(agentId: string): LinearAgent {
    const agent = this.#agents.get(agentId);
    if (agent === undefined) fail('a known agent id', agentId);
    return agent;
  }

  #eligibleForContact(id: string, excluded: Set<string> | undefined): boolean {
    const a = this.#agents.get(id);
    return a !== undefined && a.active < a.cap && a.status === 'online' && !excluded?.has(id);
  }

  #decide(open: LinearOpen, stage: Stage, at: number, reroutedFrom: string | undefined): LinearDecision | undefined {
    let excluded = open.excluded;
    // Nobody it was not taken from can take it now: a new round, kept only from the last agent.
    if (stage === 'reroute' && excluded !== undefined && excluded.size > 1 && (this.#present === 0 || !this.#anyone(excluded))) {
      excluded = open.excluded = new Set([reroutedFrom as string]);
    }
    let agent: LinearAgent | undefined;
    let reason: 'recent-contact' | 'split' | 'busy-fallback' = 'split';
    let fromPool = false;
    if (this.#present > 0) {
      // Rule 2: the remembered contact within the window, busy or not.
      const remembered = this.#memory.get(open.customerId);
      if (remembered !== undefined && at - remembered.at <= STICKY_WINDOW_MS && this.#eligibleForContact(remembered.agentId, excluded)) {
        agent = this.#agents.get(remembered.agentId);
        reason = 'recent-contact';
      } else {
        agent = this.#pick(excluded);
        if (agent !== undefined) {
          fromPool = true;
          reason = agent.nonBusy ? 'split' : 'busy-fallback';
        }
      }
    }
    if (agent === undefined) {
      if (stage === 'drain') return undefined;
      open.where = 'queued';
      open.queuedAt = at;
      const position = this.#enqueue(open);
      return reroutedFrom === undefined
        ? { kind: 'queued', customerId: open.customerId, at, position, reason: 'no-human' }
        : { kind: 'queued', customerId: open.customerId, at, reroutedFrom, position, reason: 'no-human' };
    }
    if (fromPool && agent.nonBusy) this.#charge(agent);
    agent.active++;
    agent.pending++;
    open.awaiting = true;
    agent.assigned++;
    agent.lastSeq = ++this.#seq;
    agent.open.add(open);
    if (open.where === 'queued' && stage === 'drain') this.#queue.splice(this.#queue.indexOf(open), 1);
    open.where = 'agent';
    open.agent = agent;
    this.#refresh(agent);
    const waited = stage === 'drain' ? { waitedMs: at - open.queuedAt } : {};
    return reroutedFrom === undefined
      ? { kind: 'agent', customerId: open.customerId, at, agentId: agent.id, reason, ...waited }
      : { kind: 'agent', customerId: open.customerId, at, reroutedFrom, agentId: agent.id, reason, ...waited };
  }

  /**
   * Rules 5 and 6 by scanning: the due non-busy agent with the smallest virtual finish; with
   * exclusions, else the non-busy one with the smallest virtual finish, due or not; else the least
   * loaded busy one.
   */
  #pick(excluded: Set<string> | undefined): LinearAgent | undefined {
    this.#normalize();
    const v = this.#virtualTime;
    let due: LinearAgent | undefined;
    let waiting: LinearAgent | undefined;
    let busy: LinearAgent | undefined;
    for (const a of this.#list) {
      if (a.status !== 'online' || a.active >= a.cap) continue;
      if (excluded !== undefined && excluded.has(a.id)) continue;
      if (a.nonBusy) {
        if (a.start <= v) {
          if (due === undefined || finishBefore(a, due)) due = a;
        } else if (waiting === undefined || finishBefore(a, waiting)) waiting = a;
      } else if (busy === undefined || loadBefore(a, busy)) busy = a;
    }
    return due ?? waiting ?? busy;
  }

  /** WF2Q+: when no non-busy agent is due, the virtual time jumps to the earliest start. */
  #normalize(): void {
    if (this.#nonBusyCount === 0) return;
    const v = this.#virtualTime;
    let earliest = Number.POSITIVE_INFINITY;
    for (const a of this.#list) {
      if (!a.nonBusy) continue;
      if (a.start <= v) return;
      if (a.start < earliest) earliest = a.start;
    }
    this.#virtualTime = earliest;
    this.#anchorHere();
  }

  // Called right after #pick, which brought the virtual time up to date.
  #charge(a: LinearAgent): void {
    if (a.start > this.#virtualTime) {
      this.#virtualTime = a.start;
      this.#anchorHere();
    }
    this.#virtualTime = this.#anchor + ++this.#picks / this.#totalWeight;
    a.start = a.finish;
    a.finish = a.start + 1 / a.countedWeight;
  }

  /** Whether any agent could take a consultation kept from `excluded` (rule 2 aside). */
  #anyone(excluded: Set<string>): boolean {
    return this.#list.some((a) => a.status === 'online' && a.active < a.cap && !excluded.has(a.id));
  }

  #release(open: LinearOpen): void {
    const agent = open.agent as LinearAgent;
    agent.active--;
    if (open.awaiting) {
      open.awaiting = false;
      if (agent.pending > 0) agent.pending--;
    }
    agent.open.delete(open);
    open.agent = undefined;
    this.#refresh(agent);
  }

  #refresh(a: LinearAgent): void {
    const nonBusy = a.status === 'online' && a.active < a.cap && a.pending <= BUSY_THRESHOLD;
    if (nonBusy === a.nonBusy) return;
    const totalWeight = this.#totalWeight;
    if (nonBusy) {
      // Joins at the current fair position: never behind the virtual time, keeps an unused lead.
      this.#normalize();
      if (a.start < this.#virtualTime) a.start = this.#virtualTime;
      a.finish = a.start + 1 / a.weight;
      this.#totalWeight += a.weight;
      a.countedWeight = a.weight;
      this.#nonBusyCount++;
    } else {
      // fenliu moves the virtual time eagerly; this router lazily, before each read — except that
      // the last leaver's start must be read now, or it is lost with the empty set.
      if (this.#nonBusyCount === 1) this.#normalize();
      this.#totalWeight -= a.countedWeight;
      a.countedWeight = 0;
      if (--this.#nonBusyCount === 0) this.#totalWeight = 0;
    }
    if (this.#totalWeight !== totalWeight) this.#anchorHere();
    a.nonBusy = nonBusy;
  }

  #anchorHere(): void {
    this.#anchor = this.#virtualTime;
    this.#picks = 0;
  }

  #remember(customerId: string, agentId: string, at: number): void {
    const memory = this.#memory;
    const existing = memory.get(customerId);
    if (existing !== undefined) {
      memory.delete(customerId);
      existing.agentId = agentId;
      existing.at = at;
      memory.set(customerId, existing);
    } else {
      memory.set(customerId, { agentId, at });
    }
    // Expired entries are never returned (reads check the window); sweeping them out only bounds
    // memory, so it is done every 1,024 remembers: walking a Map from its front also walks every
    // slot deleted since its last rehash, which costs O(deleted) per sweep.
    if (++this.#sinceSweep === 1_024) {
      this.#sinceSweep = 0;
      for (const [key, entry] of memory) {
        if (at - entry.at <= STICKY_WINDOW_MS) break;
        memory.delete(key);
      }
    }
    if (memory.size > MAX_CONTACTS) {
      for (const key of memory.keys()) {
        memory.delete(key);
        if (memory.size <= MAX_CONTACTS) break;
      }
    }
  }

  #enqueue(open: LinearOpen): number {
    const q = this.#queue;
    let i = q.length;
    while (i > 0) {
      const prev = q[i - 1] as LinearOpen;
      if (prev.since < open.since || (prev.since === open.since && prev.order < open.order)) break;
      i--;
    }
    q.splice(i, 0, open);
    return i + 1;
  }

  #drain(at: number, out: LinearDecision[]): void {
    if (this.#queue.length === 0) return;
    for (const open of [...this.#queue]) {
      const d = this.#decide(open, 'drain', at, undefined);
      if (d !== undefined) out.push(d);
    }
  }
}
