import type { ResolvedOptions } from './options.js';
import { Scopes, type Target } from './pipeline/bound-groups.js';
import type { Member, Pool } from './pipeline/busy-split.js';
import { fits, hasRoom, settle } from './pipeline/capacity.js';
import { choose, Kind, newChoice, reachNow, type Choice, type Stage } from './pipeline/choose.js';
import { CustomerTable, type CustomerEntry } from './structures/customer-table.js';
import { IndexedHeap } from './structures/indexed-heap.js';
import { linkOpen, newOpen, openOf, unlinkOpen, type AgentRecord, type Deadline, type DeadlineKind, type Open } from './records.js';
import { WaitingQueue } from './structures/waiting-queue.js';
import { later, type Time } from './validate.js';
import type { AgentDecision, AgentStatus, Decision, RecentContact, RerouteCause } from './types.js';

/** Consultation records kept for reuse at most. */
const SPARE_LIMIT = 64;
/** Services from the queue remembered per pool, for the estimated wait. */
const DEPARTURES_KEPT = 16;

/**
 * One shop's routing state and the rules that move it. The {@link Router} validates every call and
 * then calls one method here; nothing here throws on a validated call.
 *
 * Where each rule of DOMAIN.md lives: 1 nobody online, 3 dedicated agent and 7 nobody can take it —
 * `pipeline/choose.ts`, the rules in order; 2 recent contact — `pipeline/recent-contact.ts` (and its
 * hold in `choose.ts`); 4 reception mode — `pipeline/reception-mode.ts`; 5 bound groups and overflow —
 * `pipeline/bound-groups.ts`; 6 busy-aware fair split — `pipeline/busy-split.ts`; 8 the waiting
 * queue — `structures/waiting-queue.ts` and `#serve` here; 9 re-routing — `reroute` and `#fire` here.
 *
 * Choosing is pure: `choose` reads the state and fills a scratch {@link Choice}. Committing happens
 * in one place: `#assign`, `#robot`, `#hold` and `#nobody` are the only code that places a
 * consultation — through `#commit`, but for a transfer to a named agent, which `reroute` assigns
 * directly — and `refresh` (with `Scopes`, when a pool is made or dropped) the only code that files
 * an agent in its pools.
 */
export class Shop {
  readonly o: ResolvedOptions;
  /** Every agent by id; a Map because `"__proto__"` is a valid id. */
  readonly agents = new Map<string, AgentRecord>();
  /** Every customer by id: its open consultation and its remembered contact, in one record. */
  readonly customers: CustomerTable<Open, AgentRecord>;
  /** Queued consultations, indexed by who could take them (rule 8). */
  readonly queue = new WaitingQueue<Open, Pool>();
  /** Rule 5: the reception scopes, their targets and the pools in existence. */
  readonly scopes: Scopes;
  /** The latest time seen, shared with the customer table; an explicit `at` earlier than this is rejected. */
  readonly time: Time = { now: Number.NEGATIVE_INFINITY };
  /** Every deadline not yet fired, earliest first; equal times in the order they were set. */
  readonly deadlines = new IndexedHeap<Deadline>((a, b) => a.seq < b.seq);
  /** Counts deadlines set: their order among equal times. */
  deadlineSeq = 0;
  /** Counts assignments; stamps `lastSeq` for the least-recently-assigned tie-break. */
  seq = 0;
  /** Counts routed consultations; orders equal-priority, equal-time queue entries. */
  arrivals = 0;
  /** Agents online or suspended (rule 1 asks whether this is zero). */
  present = 0;
  /** Per pool, the times of its last few consultations served from the queue, oldest first. */
  readonly departures = new Map<Pool, number[]>();
  /** Records of ended consultations, for reuse: a route allocates none in steady state. */
  readonly #spare: Open[] = [];
  /** The scratch record every decision's choice is written to: choosing allocates nothing. */
  readonly #choice: Choice = newChoice();
  /** The next opening of the shop, once a consultation met it closed. */
  #opening: Deadline | undefined;

  constructor(o: ResolvedOptions) {
    this.o = o;
    this.scopes = new Scopes(o, { agents: this.agents, refresh: (a) => this.refresh(a), dropped: (p) => this.departures.delete(p) });
    this.customers = new CustomerTable(o.contactMemory.maxEntries, o.stickyWindowMs, this.time);
  }

  // ───────────────────────────── consultations ─────────────────────────────

  /**
   * Routes a validated new consultation. `known` is the customer's entry when the router already
   * looked it up. (Arguments, not an object: a route allocates nothing but its decision.)
   */
  route(
    customerId: string, known: CustomerEntry<Open, AgentRecord> | undefined, target: Target, orderState: string,
    segment: string | undefined, product: string | undefined, intent: string | undefined,
    priority: number, cost: number, dedicatedAgentId: string | undefined, recentContacts: readonly RecentContact[] | undefined,
  ): Decision {
    // A reused record has no agent, no neighbours, no exclusions and no deadline (end() left it so).
    const open = this.#spare.pop() ?? newOpen(customerId);
    open.where = 'new';
    open.customerId = customerId;
    this.scopes.acquire(target);
    open.target = target;
    open.segment = segment;
    open.product = product;
    open.intent = intent;
    open.recentContacts = recentContacts;
    open.since = this.time.now;
    open.order = ++this.arrivals;
    open.priority = priority;
    open.cost = cost;
    open.orderState = orderState;
    open.dedicatedAgentId = dedicatedAgentId;
    open.escalated = false;
    open.accountId = undefined;
    open.holdDone = false;
    open.reach = 0;
    open.entry = this.customers.open(customerId, known, open);
    return this.#decide(open, 'new', undefined, undefined) as Decision;
  }

  /** The robot hands over (rule 4), with the intent it classified when given: matched again with it (rule 5). */
  escalate(open: Open, intent: string | undefined): Decision {
    open.escalated = true;
    if (intent !== undefined) {
      open.intent = intent;
      this.#retarget(open, this.scopes.targetFor(open.segment, open.product, intent, open.orderState));
    }
    return this.#decide(open, 'escalated', undefined, undefined) as Decision;
  }

  /** Rule 9: takes the consultation from its agent and routes it again, or to `target` (a transfer). */
  reroute(open: Open, target: AgentRecord | undefined, cause: RerouteCause): Decision[] {
    const from = open.agent as AgentRecord;
    const out: Decision[] = [];
    // An agent who declined it or let it time out never served this customer (rule 2).
    this.#takeBack(open, from, cause !== 'declined' && cause !== 'timeout');
    out.push(target === undefined
      ? this.#decide(open, 'reroute', from.id, cause) as Decision
      : this.#assign(open, target, undefined, 'transfer', undefined, from.id, cause));
    if (cause === 'timeout') this.#missed(from, out);
    // A decline is the agent at work, as a reply is: its misses are no longer in a row.
    else if (cause === 'declined') from.misses = 0;
    this.#serve(from, out);
    return out;
  }

  /** The consultation is over: its capacity frees (after a wrap-up, if any) and serves the queue. */
  end(open: Open): Decision[] {
    const out: Decision[] = [];
    this.#cancelDeadline(open);
    if (open.where === 'queued') {
      this.queue.remove(open);
    } else if (open.where === 'agent') {
      const agent = open.agent as AgentRecord;
      this.customers.remember(open.entry, agent);
      // A chat that ends on hold took no capacity: its after-chat work took none either.
      const counted = !open.onHold;
      this.#release(open);
      if (this.o.wrapUpMs > 0 && counted) this.#wrapUp(agent, open.cost);
      this.#serve(agent, out);
    }
    this.scopes.release(open.target);
    // Last: the records are reused from here on.
    this.customers.close(open.entry);
    open.excluded = undefined;
    open.heldFor = undefined;
    if (this.#spare.length < SPARE_LIMIT) this.#spare.push(open);
    return out;
  }

  /** The customer wrote: a consultation with an agent awaits its reply again (and counts in its pending); one on hold resumes. */
  customerMessage(open: Open): void {
    const agent = open.agent;
    if (open.where !== 'agent' || agent === undefined) return;
    if (open.onHold) this.resume(open);
    else this.#stir(open);
    if (open.awaiting) return;
    open.awaiting = true;
    open.awaitingSince = this.time.now;
    agent.pending++;
    this.refresh(agent);
  }

  /** Its agent replied: it no longer awaits, the answer timeout is off, and the agent's misses reset; one on hold resumes. */
  agentReply(open: Open): void {
    const agent = open.agent as AgentRecord;
    agent.misses = 0;
    this.customers.remember(open.entry, agent);
    if (open.onHold) this.resume(open);
    else this.#stir(open);
    if (open.deadline?.kind === 'answer') this.#cancelDeadline(open);
    if (!open.awaiting) return;
    open.awaiting = false;
    if (agent.pending > 0) agent.pending--;
    this.refresh(agent);
  }

  /**
   * Puts a consultation with an agent on hold: it stays with the agent but no longer counts in its
   * load or pending, and cannot time out; the capacity it frees serves the queue.
   */
  hold(open: Open): Decision[] {
    const agent = open.agent as AgentRecord;
    open.onHold = true;
    agent.load = settle(agent.load - open.cost);
    if (open.awaiting && agent.pending > 0) agent.pending--;
    if (open.deadline?.kind === 'answer') this.#cancelDeadline(open);
    this.#unschedule(open.quiet);
    this.refresh(agent);
    const out: Decision[] = [];
    this.#serve(agent, out);
    return out;
  }

  /** Counts a consultation on hold again, even above its agent's cap (the agent then takes nothing new until under it). */
  resume(open: Open): Decision[] {
    const agent = open.agent as AgentRecord;
    open.onHold = false;
    agent.load = settle(agent.load + open.cost);
    if (open.awaiting) agent.pending++;
    this.#stir(open);
    this.refresh(agent);
    return [];
  }

  // ───────────────────────────── time ─────────────────────────────

  /**
   * Fires every deadline due at or before `at`, earliest first (equal times in the order they were
   * set), each at its own time — or at the latest time seen, when a later call came first — and
   * returns their decisions.
   */
  advance(at: number): Decision[] {
    const out: Decision[] = [];
    const deadlines = this.deadlines;
    const time = this.time;
    for (let next = deadlines.peek(); next !== undefined && next.key <= at; next = deadlines.peek()) {
      deadlines.remove(next);
      if (next.key > time.now) time.now = next.key;
      this.#fire(next, out);
    }
    if (at > time.now) time.now = at;
    return out;
  }

  #fire(deadline: Deadline, out: Decision[]): void {
    const open = deadline.open as Open;
    switch (deadline.kind) {
      case 'answer': {
        out.push(...this.reroute(open, undefined, 'timeout'));
        return;
      }
      case 'overflow': {
        // Its next step has come: it widens, and anyone in the wider set may take it now.
        open.reach = reachNow(open, this.time);
        const decision = this.#decide(open, 'drain', undefined, undefined);
        if (decision !== undefined) out.push(decision);
        else this.#requeue(open);
        // Closed, it waits for the opening (which nothing else may have scheduled on a quiet night).
        if (decision === undefined && this.closed()) this.#scheduleOpening();
        return;
      }
      case 'hold': {
        // The hold is over: rules 3-7 now, as for a new consultation (no second hold).
        this.queue.remove(open);
        open.heldFor = undefined;
        open.holdDone = true;
        out.push(this.#decide(open, 'new', undefined, undefined) as Decision);
        return;
      }
      case 'inactive': {
        out.push(...this.hold(open));
        return;
      }
      case 'wrap-up': {
        const agent = deadline.agent as AgentRecord;
        agent.wrapUps?.delete(deadline);
        agent.load = settle(agent.load - deadline.cost);
        this.refresh(agent);
        this.#serve(agent, out);
        return;
      }
      case 'opening': {
        // Everyone present may take from the queue now, until it is empty (the one step of the
        // calendar that may read every agent: when some of the queue stays).
        for (const agent of this.agents.values()) {
          if (this.queue.size === 0) break;
          this.#serve(agent, out);
        }
        return;
      }
    }
  }

  /** Outside the business hours at the shop's time. */
  closed(): boolean {
    const hours = this.o.businessHours;
    return hours !== undefined && !hours.isOpen(this.time.now);
  }

  /** Moves a consultation not in the queue to another target: the new one held before the old is let go, so a pool both use stays. */
  #retarget(open: Open, target: Target): void {
    if (target === open.target) return;
    this.scopes.acquire(target);
    this.scopes.release(open.target);
    open.target = target;
  }

  #setDeadline(open: Open, kind: DeadlineKind, at: number): void {
    let d = open.deadline;
    if (d === undefined) open.deadline = d = { kind, open, agent: undefined, cost: 0, key: at, seq: 0, heapIndex: -1 };
    d.kind = kind;
    this.#schedule(d, at);
  }

  #cancelDeadline(open: Open): void {
    this.#unschedule(open.deadline);
  }

  /** Files a deadline record at `at`, as the latest set of its time. */
  #schedule(d: Deadline, at: number): void {
    if (d.heapIndex >= 0) this.deadlines.remove(d);
    d.key = at;
    d.seq = ++this.deadlineSeq;
    this.deadlines.push(d);
  }

  #unschedule(d: Deadline | undefined): void {
    if (d !== undefined && d.heapIndex >= 0) this.deadlines.remove(d);
  }

  /** Somebody wrote in a consultation with an agent (or it was assigned): its inactivity deadline starts again. */
  #stir(open: Open): void {
    const after = this.o.inactiveAfterMs;
    if (after === undefined) return;
    this.#schedule(open.quiet ??= { kind: 'inactive', open, agent: undefined, cost: 0, key: 0, seq: 0, heapIndex: -1 }, later(this.time.now, after));
  }

  /** After `end`, the consultation's cost stays taken of its agent's cap for `wrapUpMs`. */
  #wrapUp(agent: AgentRecord, cost: number): void {
    agent.load = settle(agent.load + cost);
    this.refresh(agent);
    const d: Deadline = { kind: 'wrap-up', open: undefined, agent, cost, key: 0, seq: 0, heapIndex: -1 };
    (agent.wrapUps ??= new Set()).add(d);
    this.#schedule(d, later(this.time.now, this.o.wrapUpMs));
  }

  /** The next opening, when scheduled. */
  get opening(): Deadline | undefined {
    return this.#opening !== undefined && this.#opening.heapIndex >= 0 ? this.#opening : undefined;
  }

  /** A restored snapshot's next opening. */
  restoreOpening(at: number, seq: number): void {
    this.deadlines.push(this.#opening = { kind: 'opening', open: undefined, agent: undefined, cost: 0, key: at, seq, heapIndex: -1 });
  }

  /** A consultation met the shop closed: its next opening is a deadline (once). */
  #scheduleOpening(): void {
    if (this.#opening !== undefined && this.#opening.heapIndex >= 0) return;
    const at = this.o.businessHours?.nextChange(this.time.now);
    if (at !== undefined) this.#schedule(this.#opening = { kind: 'opening', open: undefined, agent: undefined, cost: 0, key: 0, seq: 0, heapIndex: -1 }, at);
  }

  // ───────────────────────────── agents ─────────────────────────────

  /** Applies a validated change of an agent (new or not); returns the re-routes and queue services it causes. */
  updateAgent(agent: AgentRecord, status: AgentStatus, weight: number, groups: string[] | undefined, cap: number, pending: number): Decision[] {
    const wasOffline = agent.status === 'offline';
    this.#setPresence(agent, status);
    agent.cap = cap;
    agent.pending = pending;
    if (groups !== undefined) {
      const before = agent.groups;
      agent.groups = groups;
      this.scopes.rejoin(agent, before);
    }
    const shareWeight = this.o.splitMode === 'weighted' ? weight : 1;
    agent.weight = weight;
    if (shareWeight !== agent.shareWeight) {
      agent.shareWeight = shareWeight;
      for (const m of agent.members) m.pool.restart(m);
    }
    this.refresh(agent);
    return this.#afterStatusChange(agent, wasOffline);
  }

  /** An agent's status changed: rule 9 when it went offline, rule 8 otherwise. */
  setStatus(agent: AgentRecord, status: AgentStatus): Decision[] {
    const wasOffline = agent.status === 'offline';
    this.#setPresence(agent, status);
    this.refresh(agent);
    return this.#afterStatusChange(agent, wasOffline);
  }

  /** The caller's count of the agent's pending replies. */
  setPending(agent: AgentRecord, pending: number): void {
    agent.pending = pending;
    this.refresh(agent);
  }

  /** An agent leaves for good: its consultations are re-routed (rule 9), its pools and wrap-ups let go. */
  removeAgent(agent: AgentRecord): Decision[] {
    const out: Decision[] = [];
    this.#setPresence(agent, 'offline');
    this.refresh(agent);
    this.#rerouteAll(agent, out, 'removed');
    // Its wrap-ups leave the calendar with it.
    for (const d of agent.wrapUps ?? []) this.#unschedule(d);
    agent.wrapUps = undefined;
    agent.removed = true;
    this.agents.delete(agent.id);
    this.scopes.forget(agent);
    return out;
  }

  // ───────────────────────────── choosing ─────────────────────────────

  // Decisions are made at the shop's latest time, `time.now`: every public method sets it first.

  #decide(open: Open, stage: Stage, reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision | undefined {
    choose(this, this.#choice, open, stage, reroutedFrom);
    return this.#commit(open, reroutedFrom, cause);
  }

  // ───────────────────────────── committing ─────────────────────────────

  /** Applies the scratch choice: the one place a consultation is placed. */
  #commit(open: Open, reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision | undefined {
    const c = this.#choice;
    if (c.kind === Kind.Stay) return undefined;
    const mode = c.mode;
    if (mode !== undefined) {
      // The mixed-mode counter counts every consultation that reached rule 4.
      mode.routed++;
      if (c.kind === Kind.Robot && c.reason === 'mixed') mode.robots++;
    }
    if (c.restartExclusions) open.excluded = new Set([reroutedFrom as string]);
    let decision: Decision;
    if (c.kind === Kind.Agent) {
      decision = this.#assign(open, c.agent as AgentRecord, c.member, c.reason as AgentDecision['reason'], c.groupId, reroutedFrom, cause);
    } else if (c.kind === Kind.Robot) {
      decision = this.#robot(open, c.reason as 'robot-first' | 'mixed', reroutedFrom, cause);
    } else if (c.kind === Kind.Hold) {
      decision = this.#hold(open, c.agent as AgentRecord, c.contactAt);
    } else {
      decision = this.#nobody(open, c.why, reroutedFrom, cause);
    }
    return decision;
  }

  /** Gives the consultation to `agent`; `member` is the pool membership the fair split picked, whose share is charged. */
  #assign(
    open: Open, agent: AgentRecord, member: Member | undefined, reason: AgentDecision['reason'], groupId: string | undefined,
    reroutedFrom: string | undefined, cause: RerouteCause | undefined,
  ): Decision {
    const now = this.time.now;
    const waited = open.where === 'queued' ? this.#served(open) : -1;
    agent.lastSeq = ++this.seq;
    // The charged member is placed by refresh below, with the agent's new state.
    if (member !== undefined) member.pool.charge(member);
    agent.active++;
    agent.load = settle(agent.load + open.cost);
    open.onHold = false;
    // A chat starts with the customer's message: it awaits the agent's reply from now.
    open.awaiting = true;
    open.awaitingSince = now;
    agent.pending++;
    agent.assigned++;
    linkOpen(agent, open);
    open.where = 'agent';
    open.agent = agent;
    open.accountId = undefined;
    this.refresh(agent);
    this.#stir(open);
    const timeout = this.o.answerTimeoutMs;
    if (timeout !== undefined) this.#setDeadline(open, 'answer', later(now, timeout));
    else this.#cancelDeadline(open);
    const customerId = open.customerId;
    const decision: Decision = groupId === undefined
      ? { kind: 'agent', customerId, at: now, agentId: agent.id, reason }
      : { kind: 'agent', customerId, at: now, agentId: agent.id, groupId, reason };
    if (waited >= 0) decision.waitedMs = waited;
    return rerouted(decision, reroutedFrom, cause);
  }

  /** Gives the consultation to the robot by the reception mode (rule 4). */
  #robot(open: Open, reason: 'robot-first' | 'mixed', reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision {
    open.where = 'robot';
    const decision: Decision = { kind: 'robot', customerId: open.customerId, at: this.time.now, reason };
    return rerouted(decision, reroutedFrom, cause);
  }

  /** Rule 2's hold: it waits in the queue for its recent contact alone, until the hold ends. */
  #hold(open: Open, agent: AgentRecord, contactAt: number): Decision {
    const now = this.time.now;
    open.where = 'queued';
    open.queuedAt = now;
    open.reach = 0;
    open.heldFor = agent.id;
    const position = this.queue.insert(open, { pool: undefined, keptFrom: undefined, contacts: [{ agentId: agent.id, at: contactAt }], dedicatedAgentId: undefined });
    this.#setDeadline(open, 'hold', later(now, this.o.holdForRecentContactMs));
    return { kind: 'queued', customerId: open.customerId, at: now, position, reason: 'held', heldFor: agent.id };
  }

  /** No human can take it (rules 1 and 7): the robot unless it handed it over, else the queue or an offline account. */
  #nobody(open: Open, why: 'nobody-online' | 'no-human' | 'closed', reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision {
    const o = this.o;
    const customerId = open.customerId;
    const at = this.time.now;
    let decision: Decision;
    if (why === 'closed') this.#scheduleOpening();
    if (o.robot && !open.escalated) {
      open.where = 'robot';
      decision = { kind: 'robot', customerId, at, reason: why === 'closed' ? 'closed' : 'no-human' };
    } else if (o.noAgent === 'queue') {
      // A hold that ends with nobody to take it goes on waiting: its wait counts from the hold's start.
      if (open.where !== 'queued') open.queuedAt = at;
      open.where = 'queued';
      open.reach = reachNow(open, this.time);
      decision = { kind: 'queued', customerId, at, position: this.enqueue(open), reason: why === 'closed' ? 'closed' : 'no-human' };
      this.#setOverflowDeadline(open);
    } else {
      const accountId = (o.noAgent === 'main' ? o.mainAccountId : o.proxyAccountId) as string;
      open.where = 'offline';
      open.accountId = accountId;
      decision = { kind: 'offline', customerId, at, accountId, reason: why };
    }
    return rerouted(decision, reroutedFrom, cause);
  }

  /** A queued consultation's next overflow step, if it has one left. */
  #setOverflowDeadline(open: Open): void {
    const next = open.target.tiers[open.reach];
    if (next !== undefined) this.#setDeadline(open, 'overflow', open.since + next.afterMs);
    else this.#cancelDeadline(open);
  }

  /** A queued consultation widened by an overflow step and still not taken: filed again with its wider pool. */
  #requeue(open: Open): void {
    this.queue.remove(open);
    this.enqueue(open);
    this.#setOverflowDeadline(open);
  }

  /**
   * Files a consultation in the waiting queue with everyone who could take it: its widest pool
   * reached, its recent contacts and dedicated agent (or, while held, its one contact); its
   * 1-based position.
   */
  enqueue(open: Open): number {
    // Kept from one agent at most, the last it was taken from: a re-route that finds nobody else
    // starts a new round (see `choose`; a restore narrows an earlier version's sets).
    const excluded = open.excluded;
    const now = this.time.now;
    const windowMs = this.o.stickyWindowMs;
    const contacts: { agentId: string; at: number }[] = [];
    if (windowMs > 0) {
      const entry = open.entry;
      const remembered = entry.contact;
      if (remembered !== undefined && now - entry.contactAt <= windowMs) contacts.push({ agentId: remembered.id, at: entry.contactAt });
      for (const c of open.recentContacts ?? []) if (now - c.at <= windowMs) contacts.push(c);
    }
    if (open.heldFor !== undefined) {
      const heldFor = open.heldFor;
      return this.queue.insert(open, { pool: undefined, keptFrom: undefined, contacts: contacts.filter((c) => c.agentId === heldFor), dedicatedAgentId: undefined });
    }
    const dedicated = open.dedicatedAgentId;
    const target = open.target;
    return this.queue.insert(open, {
      pool: open.reach === 0 ? target.pool : (target.tiers[open.reach - 1] as { pool: Pool }).pool,
      keptFrom: excluded?.values().next().value,
      contacts: excluded === undefined ? contacts : contacts.filter((c) => !excluded.has(c.agentId)),
      dedicatedAgentId: dedicated !== undefined && excluded?.has(dedicated) ? undefined : dedicated,
    });
  }

  /** Takes a consultation off the queue as it is served; returns how long it waited there. */
  #served(open: Open): number {
    this.queue.remove(open);
    open.heldFor = undefined;
    const pool = open.target.pool;
    let times = this.departures.get(pool);
    if (times === undefined) this.departures.set(pool, (times = []));
    times.push(this.time.now);
    if (times.length > DEPARTURES_KEPT) times.shift();
    return this.time.now - open.queuedAt;
  }

  /** The consultation leaves its agent: it no longer counts in the agent's load or pending. */
  #release(open: Open): void {
    const agent = open.agent as AgentRecord;
    agent.active--;
    if (!open.onHold) {
      agent.load = settle(agent.load - open.cost);
      if (open.awaiting && agent.pending > 0) agent.pending--;
    }
    open.awaiting = false;
    open.onHold = false;
    this.#unschedule(open.quiet);
    unlinkOpen(agent, open);
    open.agent = undefined;
    this.refresh(agent);
  }

  /** Rule 9's first step: released, its deadline cancelled, never back to `from` (but as a transfer target); `from` remembered if it `served` them. */
  #takeBack(open: Open, from: AgentRecord, served: boolean): void {
    if (served) this.customers.remember(open.entry, from);
    this.#cancelDeadline(open);
    this.#release(open);
    (open.excluded ??= new Set()).add(from.id);
  }

  /** An assignment of `agent` timed out: after `suspendAfterMisses` in a row the agent is suspended. */
  #missed(agent: AgentRecord, out: Decision[]): void {
    const limit = this.o.suspendAfterMisses;
    if (limit === undefined || agent.removed) return;
    if (++agent.misses < limit || agent.status !== 'online') return;
    agent.misses = 0;
    out.push(...this.setStatus(agent, 'suspended'));
  }

  /** Re-routes every open consultation of an agent that left (rule 9), oldest arrival first. */
  #rerouteAll(agent: AgentRecord, out: Decision[], cause: 'offline' | 'removed'): void {
    const list = openOf(agent).sort((a, b) => a.since - b.since || a.order - b.order);
    for (const open of list) {
      this.#takeBack(open, agent, true);
      out.push(this.#decide(open, 'reroute', agent.id, cause) as Decision);
    }
  }

  /** After an agent's state changed: re-route its chats if it just went offline (rule 9), then serve the queue (rule 8). */
  #afterStatusChange(agent: AgentRecord, wasOffline: boolean): Decision[] {
    const out: Decision[] = [];
    if (!wasOffline && agent.status === 'offline') this.#rerouteAll(agent, out, 'offline');
    else this.#serve(agent, out);
    return out;
  }

  /**
   * Rule 8 after `agent`'s capacity grew (the only change that lets a queued consultation in:
   * before it, none could be taken): serves, in service order, the queued consultations this
   * agent may take, while it may take one.
   */
  #serve(agent: AgentRecord, out: Decision[]): void {
    const queue = this.queue;
    if (queue.size === 0 || agent.removed) return;
    if (this.closed()) {
      // It waits for the opening, which serves it.
      this.#scheduleOpening();
      return;
    }
    const o = this.o;
    const staleBefore = this.time.now - o.stickyWindowMs;
    for (;;) {
      const underCap = hasRoom(agent);
      const online = agent.status === 'online' && underCap;
      const contacts = underCap && o.stickyWindowMs > 0 && (agent.status === 'online' || (agent.status === 'suspended' && o.stickyToSuspended));
      if (!online && !contacts) break;
      // The first in service order that fits the agent's room (first fit): one that needs more
      // keeps its place, its contact included.
      const next = queue.next({ id: agent.id, pools: online ? agent.members.map((m) => m.pool) : [], contacts, dedicated: online, capacity: agent }, staleBefore);
      if (next === undefined) break;
      const decision = this.#decide(next, 'drain', undefined, undefined);
      if (decision !== undefined) out.push(decision);
      // With room, only a contact the memory has forgotten since it queued can be offered in
      // vain; anything else would be a broken index, and serving nothing is the safe answer.
      else if (!queue.dropContact(next, agent.id)) break;
    }
  }

  /** Brings an agent's pool memberships up to date with its state. */
  refresh(agent: AgentRecord): void {
    const available = agent.status === 'online' && hasRoom(agent);
    const busy = agent.pending > this.o.busyThreshold;
    const placedAs = !available ? 0 : busy ? 2 : 1;
    const members = agent.members;
    // Filed as before (a pending count that moved within the non-busy range, say): nothing to do.
    // Its room matters only to pools that file members by room; it is recorded even when skipped,
    // so that a pool that starts to file rooms finds every record up to date.
    const room = agent.load - agent.cap;
    if (placedAs !== 2 && placedAs === agent.placedAs && agent.lastSeq === agent.placedSeq && agent.shareWeight === agent.placedWeight && (room === agent.placedRoom || !this.scopes.rooms.indexed) && members === agent.placedMembers) {
      agent.placedRoom = room;
      return;
    }
    agent.placedAs = placedAs;
    agent.placedSeq = agent.lastSeq;
    agent.placedWeight = agent.shareWeight;
    agent.placedRoom = room;
    agent.placedMembers = members;
    // An index loop: an array iterator is an allocation where V8 does not inline this.
    for (let i = 0; i < members.length; i++) {
      const m = members[i] as Member;
      m.pool.place(m, available, busy);
    }
  }

  #setPresence(agent: AgentRecord, status: AgentStatus): void {
    if ((agent.status === 'offline') !== (status === 'offline')) this.present += status === 'offline' ? -1 : 1;
    agent.status = status;
  }

  /** The customer's open consultation, if any. */
  openOf(customerId: string): Open | undefined {
    return this.customers.get(customerId)?.open;
  }
}

function rerouted(decision: Decision, reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision {
  if (reroutedFrom !== undefined) {
    decision.reroutedFrom = reroutedFrom;
    decision.rerouteReason = cause as RerouteCause;
  }
  return decision;
}
