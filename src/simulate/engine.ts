import { expected, RoutingError } from '../errors.js';
import { computeMetrics, toEvents } from '../metrics/index.js';
import type { ConversationEvent } from '../metrics/events.js';
import { Router } from '../router.js';
import { checkKeys } from '../validate.js';
import type { AgentStatus, Decision } from '../types.js';
import { sample, type Distribution } from './distributions.js';
import { generateArrivals, type Arrival } from './_internals/arrivals.js';
import { EventQueue } from './_internals/event-queue.js';
import { Pace } from './_internals/pace.js';
import { Prng } from './prng.js';
import { groupFigures, type Abandonment, type ConsultationOutcome, type KeyFigures, type SimulationResult, type SimulationSeries } from './result.js';
import { checkScenario, scenarioError, type ResolvedScenario, type Scenario } from './scenario.js';

const MINUTE = 60_000;

/** Options of a run that do not change its result. */
export interface SimulateOptions {
  /** Called now and then with the simulated time reached (ms) and the run's `durationMs`: a progress bar's feed. */
  onProgress?: ((doneMs: number, durationMs: number) => void) | undefined;
}

const RUN_OPTION_KEYS: ReadonlySet<string> = new Set(['onProgress']);

/** The options of a run, checked before it starts (`onProgress` would otherwise fail at the run's end). */
export function checkRunOptions(options: unknown): SimulateOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw expected('INVALID_ARGUMENT', 'options', 'an object { onProgress? }', options);
  checkKeys('options', options, RUN_OPTION_KEYS);
  const { onProgress } = options as SimulateOptions;
  if (onProgress !== undefined && typeof onProgress !== 'function') throw expected('INVALID_ARGUMENT', 'options.onProgress', 'a function (doneMs, durationMs) => void', onProgress);
  return options as SimulateOptions;
}

/** A consultation while it is open. */
interface Live {
  readonly arrival: Arrival;
  readonly rng: Prng;
  readonly outcome: ConsultationOutcome;
  /**
   * Bumped whenever the consultation changes hands or ends: a scheduled event remembers the
   * version it was scheduled under and is skipped when that is no longer current (stale).
   */
  version: number;
  /** The agent holding it, or `undefined` (robot, queue, offline account). */
  holder: SimAgent | undefined;
  /** The holder owes a reply: the router counts it in the holder's pending (待回复人数). */
  awaiting: boolean;
  /** The holder will never answer this assignment (`noAnswerShare`). */
  silent: boolean;
  /** With a queued decision held for a recent contact: that agent. */
  heldFor: string | undefined;
  /** When it entered the waiting queue; `NaN` when it is not queued. */
  queuedAt: number;
  /**
   * When the current holder's chat is scheduled to end (ms); an `end` event at any other time is
   * stale. With `handleTimeFactors`, only the holder's next chat to end has one (`NaN` otherwise).
   */
  endsAt: number;
  /** With `handleTimeFactors`, the holder's {@link Pace} files it: its slot, finish in work time and order. */
  heapIndex: number;
  key: number;
  seq: number;
}

interface SimAgent {
  readonly id: string;
  readonly replyTimeMs: Distribution;
  readonly handleTimeMs: Distribution;
  readonly noAnswerShare: number;
  /** With `handleTimeFactors`: its work clock. `undefined`: every chat ends at the time drawn at its assignment. */
  readonly pace: Pace<Live> | undefined;
  /** The status it has on duty (`online`, or `suspended` for one that takes only its returning customers). */
  readonly onDuty: AgentStatus;
  /** The chats the agent holds, in the order it got them. */
  readonly held: Set<Live>;
}

type ChatJob = 'reply' | 'end' | 'give-up' | 'resolve' | 'handoff' | 'abandon' | 'leave';

type Job =
  | { kind: 'status'; at: number; seq: number; agentId: string; status: 'online' | 'suspended' | 'offline' }
  | { kind: 'deadline'; at: number; seq: number; token: number }
  | { kind: ChatJob; at: number; seq: number; live: Live; version: number };

/** Progress is reported once per this many processed events: often enough for a bar, rarely enough to cost nothing. */
const PROGRESS_EVERY = 4096;

/**
 * Runs a what-if scenario through the real {@link Router}: a discrete-event simulation on an
 * explicit clock (every router call passes `at`), deterministic for a given scenario and seed.
 *
 * How the shop behaves (see docs/simulation.md):
 * - Every arrival is generated up front from the arrivals stream, so policy variants see the same
 *   ones. An arrival of a customer whose consultation is still open is a follow-up message in it.
 * - An assigned agent replies after `replyTimeMs` (`router.agentReply`); the chat ends
 *   `handleTimeMs` after the assignment. A chat that ends before the reply gets its reply at the
 *   end. A follow-up message (`router.customerMessage`) to an agent who has replied owes a new reply.
 * - With probability `noAnswerShare` an agent never answers an assignment: the customer leaves
 *   unanswered after `patienceMs` or `handleTimeMs`, whichever is sooner, unless an answer
 *   timeout takes the chat to someone else first.
 * - The router's deadlines are events: one calendar event sits at `router.nextDeadline()`, moved
 *   after every router call; when it comes, `router.advance` fires what is due (answer timeouts,
 *   overflow steps, ends of holds, inactive chats put on hold, ends of wrap-ups, the shop's
 *   opening) and its decisions are applied like any other.
 * - Each consultation is routed with its cost (`customers.costs`). To `businessHours`, simulated
 *   time 0 is 1970-01-01T00:00 UTC, a Thursday: give them `timeZone: 'UTC'` to read them as the
 *   hours of the simulated day.
 * - A customer still in the queue `patienceMs` after entering it gives up (`router.end`).
 * - The robot answers at once (`robot-reply`); it resolves `robot.resolveShare` of its chats
 *   (ending them after `resolveMs`) and hands the rest over after `handoffMs` (`router.escalate`).
 * - Agents are online inside their shifts; going offline re-routes their open chats (rule 9),
 *   and a re-routed chat starts afresh with its new holder (new reply and handling times).
 * - Queue drains and re-routings returned by any router call are applied like any decision.
 * - At equal times: shift changes, then chat events and deadlines in the order they were
 *   scheduled, then arrivals. The run stops at `durationMs`; what is open then stays open.
 *
 * @example
 * ```ts
 * const result = simulate({
 *   router: {},
 *   agents: [{ id: 'a', cap: 3 }, { id: 'b', cap: 3 }],
 *   arrivals: { perHour: 40 },
 *   durationMs: 8 * 3_600_000,
 *   seed: 7,
 * });
 * result.summary.responseRate1m; // e.g. 0.83
 * ```
 *
 * @throws {RoutingError} `INVALID_SCENARIO` for a malformed scenario (router options and agent
 *   fields included).
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const runOptions = checkRunOptions(options);
  const { resolved, problems, routerAsGiven } = checkScenario(scenario);
  const clock = { now: 0 };
  const router = routerAsGiven ? openRouter(resolved, () => clock.now, problems) : undefined;
  if (problems.length > 0 || router === undefined) throw scenarioError(problems);
  return new Run(resolved, router, clock, generateArrivals(resolved), runOptions).run();
}

/**
 * Every problem of a scenario, the router's complaints about its options and agents included;
 * empty for a scenario {@link simulate} accepts. Runs nothing.
 */
export function scenarioProblems(scenario: Scenario): RoutingError[] {
  const { resolved, problems, routerAsGiven } = checkScenario(scenario);
  if (routerAsGiven) openRouter(resolved, () => 0, problems);
  return problems;
}

/**
 * The run's router with the agents of the scenario at time 0, in their status at the start.
 * The router's own complaints are added to `problems` as `INVALID_SCENARIO` (agents are checked
 * only when the options pass); `undefined` when the options do not.
 */
function openRouter(s: ResolvedScenario, clock: () => number, problems: RoutingError[]): Router | undefined {
  let router: Router;
  try {
    router = new Router({ ...s.router, clock });
  } catch (error) {
    problems.push(asScenarioError('scenario.router', error));
    return undefined;
  }
  for (const a of s.agents) {
    const first = a.shifts?.[0];
    const onAtStart = a.shifts === undefined || (first !== undefined && first.from <= 0);
    try {
      router.upsertAgent({ ...a.spec, status: onAtStart ? a.onDuty : 'offline' }, 0);
    } catch (error) {
      problems.push(asScenarioError(`scenario.agents[${a.index}]`, error));
    }
  }
  return router;
}

/** A duration in whole milliseconds, as a backend's timestamps are. */
function sampleMs(d: Distribution, rng: Prng): number {
  return Math.round(sample(d, rng));
}

/** Wraps the router's own validation errors so that every bad scenario reports one code; rethrows anything else. */
function asScenarioError(field: string, error: unknown): RoutingError {
  if (error instanceof RoutingError && error.code !== 'INVALID_SCENARIO') {
    return new RoutingError('INVALID_SCENARIO', `Invalid \`${field}\`: ${error.message}`, field);
  }
  throw error;
}

/** One run: the router, the event queue and the log, alive for one call of {@link simulate}. */
class Run {
  readonly #s: ResolvedScenario;
  readonly #arrivals: readonly Arrival[];
  readonly #options: SimulateOptions;
  readonly #router: Router;
  readonly #jobs = new EventQueue<Job>();
  /** Open consultations by customer id: one per customer, as in the router. */
  readonly #open = new Map<string, Live>();
  readonly #agents = new Map<string, SimAgent>();
  /** The simulation clock, which the router reads: the time of the event being processed. */
  readonly #clock: { now: number };
  /** Consultations currently in the waiting queue (kept here so sampling need not copy the queue). */
  #queued = 0;
  #followUps = 0;
  #transfers = 0;
  #robotResolved = 0;
  #offline = 0;
  #reoffers = 0;
  #suspensions = 0;
  #overflows = 0;
  #holds = 0;
  #holdsKept = 0;
  #unanswered = 0;
  #closed = 0;
  #inactivityHolds = 0;
  #resumed = 0;
  /** `router.inactiveAfterMs` is set: chats may go on hold, and the run looks for it where a hold can end. */
  readonly #inactivity: boolean;
  /** Timeouts per agent id. */
  readonly #missed = new Map<string, number>();
  /** Agents the router suspended after missed answers, until a shift change sets their status again. */
  readonly #suspendedByMisses = new Set<string>();
  /** The time of the one calendar event standing for the router's next deadline, or `undefined` when none is scheduled. */
  #deadlineAt: number | undefined;
  /** Bumped when the deadline event moves: a deadline event with another token is stale and skipped. */
  #deadlineToken = 0;
  readonly #decisions: Decision[] = [];
  readonly #events: ConversationEvent[] = [];
  readonly #abandonments: Abandonment[] = [];
  readonly #consultations: ConsultationOutcome[] = [];
  readonly #series: SimulationSeries;
  /** The ids of `router.groups`, in option order. */
  readonly #groupIds: readonly string[];

  /** @param router - from {@link openRouter}, reading `clock`. */
  constructor(s: ResolvedScenario, router: Router, clock: { now: number }, arrivals: readonly Arrival[], options: SimulateOptions) {
    this.#s = s;
    this.#router = router;
    this.#clock = clock;
    this.#arrivals = arrivals;
    this.#options = options;
    this.#series = { stepMs: s.sampleEveryMs, times: [], queue: [], agents: [] };
    this.#groupIds = (s.router.groups ?? []).map((g) => g.id);
    this.#inactivity = s.router.inactiveAfterMs !== undefined;
    for (const a of s.agents) {
      this.#agents.set(a.spec.id, {
        id: a.spec.id, replyTimeMs: a.replyTimeMs, handleTimeMs: a.handleTimeMs, noAnswerShare: a.noAnswerShare,
        pace: a.handleTimeFactors === undefined ? undefined : new Pace(a.handleTimeFactors), onDuty: a.onDuty, held: new Set(),
      });
      this.#series.agents.push({ agentId: a.spec.id, assignments: [], active: [], load: [], pending: [] });
    }
    // Shift changes are queued before anything else, so at equal times they come first.
    for (const a of s.agents) {
      for (const shift of a.shifts ?? []) {
        if (shift.from > 0) this.#jobs.push({ kind: 'status', at: shift.from, seq: 0, agentId: a.spec.id, status: a.onDuty });
        if (shift.to < s.durationMs) this.#jobs.push({ kind: 'status', at: shift.to, seq: 0, agentId: a.spec.id, status: 'offline' });
      }
    }
  }

  run(): SimulationResult {
    const s = this.#s;
    const arrivals = this.#arrivals;
    const onProgress = this.#options.onProgress;
    let next = 0;
    let nextSample = 0;
    let processed = 0;
    for (;;) {
      const job = this.#jobs.peek();
      const arrival = arrivals[next];
      // Chat events win ties with arrivals: they were scheduled first.
      const takeJob = job !== undefined && (arrival === undefined || job.at <= arrival.at);
      const at = takeJob ? job.at : arrival === undefined ? Infinity : arrival.at;
      if (at >= s.durationMs) break;
      while (nextSample < at) nextSample = this.#sample(nextSample);
      this.#clock.now = at;
      if (takeJob) {
        this.#jobs.pop();
        this.#runJob(job);
      } else {
        this.#arrive(arrival as Arrival);
        next++;
      }
      this.#followDeadline();
      if (onProgress !== undefined && ++processed % PROGRESS_EVERY === 0) onProgress(at, s.durationMs);
    }
    while (nextSample <= s.durationMs) nextSample = this.#sample(nextSample);
    onProgress?.(s.durationMs, s.durationMs);
    return this.#result();
  }

  /**
   * Keeps the one calendar event for the router's deadlines at `router.nextDeadline()`: after every
   * event, since any router call can set, move or clear a deadline. A moved event is not removed
   * from the calendar; its token goes stale.
   */
  #followDeadline(): void {
    const at = this.#router.nextDeadline();
    if (at === this.#deadlineAt) return;
    this.#deadlineAt = at;
    this.#deadlineToken++;
    // A deadline is never earlier than the call that set it; `max` only guards the calendar's order.
    if (at !== undefined) this.#jobs.push({ kind: 'deadline', at: Math.max(at, this.#clock.now), seq: 0, token: this.#deadlineToken });
  }

  // ───────────────────────────── arrivals ─────────────────────────────

  #arrive(a: Arrival): void {
    const t = a.at;
    const live = this.#open.get(a.customerId);
    if (live !== undefined) {
      // A follow-up message in the open consultation: the holder owes a reply if it had replied.
      this.#followUps++;
      live.outcome.followUps++;
      this.#events.push({ type: 'customer-message', at: t, customerId: a.customerId });
      const holder = live.holder;
      if (holder === undefined) return;
      // The message takes the chat off hold, and puts off its inactivity.
      this.#holdEnds(live, true);
      this.#router.customerMessage(a.customerId, t);
      if (!live.awaiting) {
        // The router counts it in the holder's pending again.
        live.awaiting = true;
        this.#schedule('reply', t + sampleMs(holder.replyTimeMs, live.rng), live);
      }
      return;
    }
    const fresh: Live = {
      arrival: a, rng: Prng.forConsultation(this.#s.seed, a.index), version: 0, holder: undefined,
      awaiting: false, silent: false, heldFor: undefined, queuedAt: NaN, endsAt: NaN, heapIndex: -1, key: 0, seq: 0,
      outcome: {
        customerId: a.customerId, arrivedAt: t, orderState: a.orderState ?? 'none',
        ...(a.segment === undefined ? {} : { segment: a.segment }),
        ...(a.product === undefined ? {} : { product: a.product }),
        ...(a.intent === undefined ? {} : { intent: a.intent }),
        ...(a.cost === undefined || a.cost === 1 ? {} : { cost: a.cost }),
        outcome: 'open', firstAgentId: null, firstAssignedAt: null, firstReplyAt: null, endedAt: null, followUps: 0,
      },
    };
    this.#open.set(a.customerId, fresh);
    this.#consultations.push(fresh.outcome);
    let decision: Decision;
    try {
      decision = this.#router.route({
        customerId: a.customerId, at: t,
        ...(a.orderState === undefined ? {} : { orderState: a.orderState }),
        ...(a.segment === undefined ? {} : { segment: a.segment }),
        ...(a.product === undefined ? {} : { product: a.product }),
        ...(a.intent === undefined ? {} : { intent: a.intent }),
        ...(a.priority === undefined ? {} : { priority: a.priority }),
        ...(a.dedicatedAgentId === undefined ? {} : { dedicatedAgentId: a.dedicatedAgentId }),
        ...(a.recentContacts === undefined ? {} : { recentContacts: a.recentContacts }),
        ...(a.cost === undefined ? {} : { cost: a.cost }),
      });
    } catch (error) {
      // A trace's arrival carries what the router refused; drawn arrivals only what the mixes gave.
      throw asScenarioError('trace' in this.#s.arrivals ? `scenario.arrivals.trace[${a.index}]` : 'scenario.customers', error);
    }
    if (this.#groupIds.length > 0) {
      const groups = this.#router.consultation(a.customerId)?.groups;
      if (groups !== undefined) fresh.outcome.groups = [...groups];
    }
    if (decision.reason === 'closed') this.#closed++;
    this.#apply(decision, true);
  }

  // ───────────────────────────── decisions ─────────────────────────────

  /** Applies one router decision: logs it, settles the previous holder, schedules what follows. */
  #apply(d: Decision, isNew = false): void {
    const live = this.#open.get(d.customerId) as Live;
    const t = d.at;
    this.#decisions.push(d);
    // The router released the previous holder's slot and its pending count with it.
    const queuedSince = live.queuedAt;
    if (!Number.isNaN(queuedSince)) {
      this.#queued--;
      live.queuedAt = NaN;
    }
    const heldFor = live.heldFor;
    live.heldFor = undefined;
    if (live.holder !== undefined) this.#letGo(live.holder, live, t);
    live.holder = undefined;
    live.awaiting = false;
    live.silent = false;
    live.version++;
    if (d.rerouteReason === 'timeout') this.#timedOut(d.reroutedFrom as string);
    for (const e of toEvents(d)) this.#events.push(e);
    if (isNew) this.#events.push({ type: 'customer-message', at: t, customerId: d.customerId });

    switch (d.kind) {
      case 'agent': {
        const agent = this.#agents.get(d.agentId) as SimAgent;
        if (d.reroutedFrom !== undefined) this.#transfers++;
        if (d.reason === 'overflow') this.#overflows++;
        if (heldFor !== undefined && heldFor === d.agentId) this.#holdsKept++;
        if (live.outcome.firstAssignedAt === null) {
          live.outcome.firstAssignedAt = t;
          live.outcome.firstAgentId = agent.id;
        }
        live.holder = agent;
        // The router counted this customer in the agent's pending on assignment.
        live.awaiting = true;
        const reply = sampleMs(agent.replyTimeMs, live.rng);
        const handle = sampleMs(agent.handleTimeMs, live.rng);
        live.endsAt = t + handle;
        // Drawn only when the agent can miss, and after the durations: with no misses in the
        // scenario the streams are what they were before there were any.
        live.silent = agent.noAnswerShare > 0 && live.rng.next() < agent.noAnswerShare;
        agent.held.add(live);
        if (agent.pace !== undefined) {
          // The draw is the work alone; the pace of the agent's level sets (and moves) the end.
          agent.pace.take(live, t, live.silent ? undefined : handle);
          this.#repace(agent, t);
        }
        if (live.silent) {
          // Nobody answers: the customer leaves when patience runs out, or when the chat would have ended.
          this.#schedule('give-up', Math.min(live.endsAt, t + live.arrival.patienceMs), live);
          return;
        }
        this.#schedule('reply', t + reply, live);
        // With handleTimeFactors, #repace has scheduled the end.
        if (agent.pace === undefined) this.#schedule('end', live.endsAt, live);
        return;
      }
      case 'robot': {
        this.#events.push({ type: 'robot-reply', at: t, customerId: d.customerId });
        const robot = this.#s.robot;
        // One draw decides, then one duration: a fixed number of draws per robot chat.
        if (live.rng.next() < robot.resolveShare) this.#schedule('resolve', t + sampleMs(robot.resolveMs, live.rng), live);
        else this.#schedule('handoff', t + sampleMs(robot.handoffMs, live.rng), live);
        return;
      }
      case 'queued':
        this.#queued++;
        // Patience runs from entering the queue: that is when the customer starts waiting for a
        // human. A hold that ends in the queue is the same wait going on.
        live.queuedAt = Number.isNaN(queuedSince) ? t : queuedSince;
        if (d.reason === 'held') {
          this.#holds++;
          live.heldFor = d.heldFor;
        }
        if (live.arrival.patienceMs !== Infinity) this.#schedule('abandon', Math.max(t, live.queuedAt + live.arrival.patienceMs), live);
        return;
      case 'offline':
        this.#offline++;
        live.outcome.outcome = 'offline';
        // Nobody answers an offline message within the run; the customer leaves when patience runs out.
        if (live.arrival.patienceMs !== Infinity) this.#schedule('leave', t + live.arrival.patienceMs, live);
        return;
    }
  }

  #applyAll(decisions: readonly Decision[]): void {
    for (const d of decisions) this.#apply(d);
  }

  // ───────────────────────────── scheduled events ─────────────────────────────

  /** An answer timeout took a consultation from `agentId`; notes whether the router suspended the agent for it. */
  #timedOut(agentId: string): void {
    this.#reoffers++;
    this.#missed.set(agentId, (this.#missed.get(agentId) ?? 0) + 1);
    if (this.#router.getAgent(agentId)?.status === 'suspended' && !this.#suspendedByMisses.has(agentId) && this.#agents.get(agentId)?.onDuty !== 'suspended') {
      this.#suspendedByMisses.add(agentId);
      this.#suspensions++;
    }
  }

  #schedule(kind: ChatJob, at: number, live: Live): void {
    this.#jobs.push({ kind, at, seq: 0, live, version: live.version });
  }

  #runJob(job: Job): void {
    const t = job.at;
    if (job.kind === 'status') {
      this.#suspendedByMisses.delete(job.agentId);
      // Going offline re-routes the agent's chats, those on hold too: their holds end here.
      if (this.#inactivity && job.status === 'offline') for (const live of this.#agents.get(job.agentId)?.held ?? []) this.#holdEnds(live, false);
      this.#applyAll(this.#router.setStatus(job.agentId, job.status, t));
      return;
    }
    if (job.kind === 'deadline') {
      if (job.token !== this.#deadlineToken) return; // moved since
      this.#deadlineAt = undefined;
      this.#applyAll(this.#router.advance(t));
      return;
    }
    const live = job.live;
    if (job.version !== live.version) return; // stale: it changed hands or ended since
    const customerId = live.arrival.customerId;
    switch (job.kind) {
      case 'reply': {
        // A reply due after the chat's end is given at the end instead.
        if (!live.awaiting || t > live.endsAt) return;
        this.#reply(live, t);
        return;
      }
      case 'end': {
        if (t !== live.endsAt) return; // moved since: the agent's number of chats changed
        if (live.awaiting) this.#reply(live, t);
        this.#holdEnds(live, false);
        this.#close(live, t, 'served');
        this.#applyAll(this.#router.end(customerId, t));
        return;
      }
      case 'give-up':
        this.#unanswered++;
        this.#holdEnds(live, false);
        this.#close(live, t, 'unanswered');
        this.#applyAll(this.#router.end(customerId, t));
        return;
      case 'resolve':
        this.#robotResolved++;
        this.#close(live, t, 'robot');
        this.#applyAll(this.#router.end(customerId, t));
        return;
      case 'handoff':
        this.#apply(this.#router.escalate(customerId, t));
        return;
      case 'abandon':
        this.#abandonments.push({ customerId, at: t, waitedMs: t - live.queuedAt });
        this.#queued--;
        live.queuedAt = NaN;
        this.#close(live, t, 'abandoned');
        this.#applyAll(this.#router.end(customerId, t));
        return;
      case 'leave':
        this.#close(live, t, 'offline');
        this.#applyAll(this.#router.end(customerId, t));
    }
  }

  #reply(live: Live, t: number): void {
    const holder = live.holder as SimAgent;
    this.#holdEnds(live, true);
    this.#events.push({ type: 'agent-reply', at: t, customerId: live.arrival.customerId, agentId: holder.id });
    live.awaiting = false;
    live.outcome.firstReplyAt ??= t;
    this.#router.agentReply(live.arrival.customerId, t);
  }

  /**
   * Counts a hold of `live` that ends now, if the router has it on hold: called just before a call
   * that would end the hold — a message (`resumed`), the end, a re-route — and at the end of the
   * run. Only the router puts chats on hold here (`inactiveAfterMs`), always in `advance`, which
   * tells nobody: a hold is seen when it ends.
   */
  #holdEnds(live: Live, resumed: boolean): void {
    if (!this.#inactivity || live.holder === undefined) return;
    if (this.#router.consultation(live.arrival.customerId)?.onHold !== true) return;
    this.#inactivityHolds++;
    if (resumed) this.#resumed++;
  }

  #close(live: Live, t: number, outcome: ConsultationOutcome['outcome']): void {
    this.#events.push({ type: 'end', at: t, customerId: live.arrival.customerId });
    if (live.holder !== undefined) this.#letGo(live.holder, live, t);
    live.version++;
    live.holder = undefined;
    live.outcome.outcome = outcome;
    live.outcome.endedAt = t;
    this.#open.delete(live.arrival.customerId);
  }

  // ───────────────────────── handling that slows with the level ─────────────────────────

  /** `live` leaves `agent` at `t` (it ended or changed hands): the agent's other chats go at the pace of one chat fewer. */
  #letGo(agent: SimAgent, live: Live, t: number): void {
    agent.held.delete(live);
    if (agent.pace === undefined) return;
    agent.pace.letGo(live, t);
    this.#repace(agent, t);
  }

  /** Puts the end of the agent's next chat to end on the calendar at the pace of its level now, when that moved. */
  #repace(agent: SimAgent, t: number): void {
    const moved = (agent.pace as Pace<Live>).nextEnd(t);
    if (moved !== undefined) this.#schedule('end', moved.endsAt, moved);
  }

  // ───────────────────────────── output ─────────────────────────────

  /** Records the state at grid time `at` (after every event up to it); returns the next grid time. */
  #sample(at: number): number {
    const series = this.#series;
    series.times.push(at);
    series.queue.push(this.#queued);
    for (const a of series.agents) {
      const view = this.#router.getAgent(a.agentId);
      a.assignments.push(view?.assigned ?? 0);
      a.active.push(view?.active ?? 0);
      a.load.push(view?.load ?? 0);
      a.pending.push(view?.pending ?? 0);
    }
    return at + series.stepMs;
  }

  #result(): SimulationResult {
    const s = this.#s;
    // Chats still on hold when the run stops.
    for (const live of this.#open.values()) this.#holdEnds(live, false);
    const metrics = computeMetrics(this.#events, { asOf: s.durationMs, timeZoneOffsetMs: 0 });
    const within1m = (ladder: { withinMs: number; rate: number | null }[]): number | null =>
      ladder.find((step) => step.withinMs === MINUTE)?.rate ?? null;
    const views = this.#router.agents();
    const assigned = new Map(views.map((v) => [v.id, v.assigned]));
    const total = views.reduce((sum, v) => sum + v.assigned, 0);
    const consultations = this.#consultations.length;
    let waited = 0;
    let served = 0;
    for (const c of this.#consultations) {
      if (c.firstAssignedAt === null) continue;
      waited += c.firstAssignedAt - c.arrivedAt;
      served++;
    }
    const summary: KeyFigures = {
      consultations,
      followUps: this.#followUps,
      responseRate1m: within1m(metrics.shop.responseLadder),
      firstResponseTimeMs: metrics.shop.firstResponseTimeMs,
      abandonments: this.#abandonments.length,
      abandonmentRate: consultations === 0 ? null : this.#abandonments.length / consultations,
      waitingAtEnd: this.#router.queue().length,
      robotResolved: this.#robotResolved,
      offlineMessages: this.#offline,
      transfers: this.#transfers,
      meanWaitMs: served === 0 ? null : waited / served,
      reoffers: this.#reoffers,
      suspensions: this.#suspensions,
      overflows: this.#overflows,
      holds: this.#holds,
      holdsKept: this.#holdsKept,
      unanswered: this.#unanswered,
      closed: this.#closed,
      inactivityHolds: this.#inactivityHolds,
      resumed: this.#resumed,
      agents: s.agents.map(({ spec: { id } }) => {
        const n = assigned.get(id) ?? 0;
        const figures = metrics.agents.get(id);
        return {
          agentId: id,
          assignments: n,
          share: total === 0 ? null : n / total,
          responseRate1m: figures === undefined ? null : within1m(figures.responseLadder),
          firstResponseTimeMs: figures?.firstResponseTimeMs ?? null,
          missed: this.#missed.get(id) ?? 0,
        };
      }),
      groups: groupFigures(this.#groupIds, this.#decisions, this.#consultations),
    };
    return {
      decisions: this.#decisions,
      events: this.#events,
      metrics,
      abandonments: this.#abandonments,
      consultations: this.#consultations,
      series: this.#series,
      summary,
    };
  }
}
