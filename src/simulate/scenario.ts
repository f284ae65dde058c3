import { describe, expected, RoutingError } from '../errors.js';
import { DEFAULT_ORDER_STATES, type RouterOptions } from '../options.js';
import type { AgentSpec, AgentStatus, RecentContact } from '../types.js';
import { checkDistribution, type Distribution } from './distributions.js';

const HOUR = 3_600_000;

/** A stretch of simulated time in which an agent is on duty: online from `from` (inclusive) to `to` (exclusive), in ms. */
export interface Shift {
  from: number;
  to: number;
}

/**
 * An agent of the simulated shop: what `Router.upsertAgent` takes, plus when it works and how fast.
 *
 * @example
 * ```ts
 * const agent: SimulatedAgent = {
 *   id: 'xiaomei', cap: 6, groups: ['presale'],
 *   shifts: [{ from: 9 * 3_600_000, to: 18 * 3_600_000 }],
 *   replyTimeMs: { kind: 'lognormal', medianMs: 15_000, sigma: 0.7 },
 *   handleTimeMs: { kind: 'exponential', meanMs: 300_000 },
 * };
 * ```
 */
export interface SimulatedAgent extends AgentSpec {
  /**
   * When the agent is on duty; it is `status` (default `'online'`) inside a shift and `'offline'`
   * outside. Overlapping shifts are merged. Without `shifts` the agent keeps `status` throughout.
   */
  shifts?: Shift[];
  /**
   * Time from an assignment (or a customer's follow-up message) to the agent's reply.
   * @default { kind: 'exponential', meanMs: 30000 }
   */
  replyTimeMs?: Distribution;
  /**
   * Time from an assignment to the end of the chat: how long it holds one of the agent's slots.
   * @default { kind: 'exponential', meanMs: 300000 }
   */
  handleTimeMs?: Distribution;
}

/** One arrival of a recorded trace. */
export interface TraceArrival {
  /** Arrival time (ms since the start of the run); arrivals must be in non-decreasing `at` order. */
  at: number;
  customerId: string;
  /** Defaults to a draw from `customers.orderStates` when given, else the router's default (`'none'`). */
  orderState?: string;
  /** Higher is served first from the waiting queue. @default 0 */
  priority?: number;
  /** 专属客服: the customer's dedicated agent (an agent of the scenario). */
  dedicatedAgentId?: string;
  /** Contacts from before the run (rule 2), e.g. the agent who served this customer yesterday. */
  recentContacts?: RecentContact[];
  /** This customer's patience in the queue (ms). Defaults to a draw from `customers.patienceMs`. */
  patienceMs?: number;
}

/**
 * How consultations arrive: a Poisson process with a rate per hour — one rate, or 24 rates, one per
 * hour of the simulated day (piecewise constant; simulated time 0 is midnight) — or a recorded trace.
 */
export type Arrivals = { perHour: number | number[] } | { trace: TraceArrival[] };

/** Who the customers are. Every field is optional. */
export interface CustomerMix {
  /**
   * The share of Poisson arrivals that come from a customer who arrived before (any earlier
   * arrival, equally likely). If that customer's consultation is still open, the arrival is a
   * follow-up message in it, not a new consultation; if it has ended, it is a new consultation
   * whose recent contact (rule 2) is the agent who served it.
   * @default 0
   */
  returningShare?: number;
  /**
   * The mix of order states, as relative weights (they need not sum to 1).
   * @default every one of `router.orderStates` equally
   */
  orderStates?: Record<string, number>;
  /** How long a customer waits in the queue before giving up. @default never gives up */
  patienceMs?: Distribution;
}

/** How the shop's robot (店小蜜) behaves with the consultations it receives. */
export interface RobotBehaviour {
  /** The share of its consultations the robot resolves by itself; it hands the rest over to a human. In [0, 1]. */
  resolveShare: number;
  /** How long a resolved chat lasts before it ends. @default { kind: 'fixed', ms: 60000 } */
  resolveMs?: Distribution;
  /** How long the robot talks before handing over (`Router.escalate`). @default { kind: 'fixed', ms: 20000 } */
  handoffMs?: Distribution;
}

/**
 * A what-if scenario: a shop's routing settings, its agents, its traffic and a seed. Plain data,
 * so it can be read from a JSON file.
 *
 * @example
 * ```ts
 * const scenario: Scenario = {
 *   router: { splitMode: 'average' },
 *   agents: [{ id: 'a', cap: 5 }, { id: 'b', cap: 5 }],
 *   arrivals: { perHour: 60 },
 *   durationMs: 8 * 3_600_000,
 *   seed: 1,
 * };
 * ```
 */
export interface Scenario {
  /** The router's options; `clock` is replaced by the simulation's clock. */
  router: RouterOptions;
  agents: SimulatedAgent[];
  arrivals: Arrivals;
  customers?: CustomerMix;
  /** Needed when `router.robot` is true. @default { resolveShare: 0 } (the robot hands every chat over) */
  robot?: RobotBehaviour;
  /** The simulated time span (ms): arrivals fall in `[0, durationMs)`, and the run stops at `durationMs`. */
  durationMs: number;
  /** An integer in [0, 2^53): the same scenario and seed give the same result on every machine. */
  seed: number;
  /**
   * The grid of `series` samples (ms).
   * @default durationMs / 1440 rounded up to whole minutes (one-minute samples over a day)
   */
  sampleEveryMs?: number;
}

/** An agent with its defaults applied and its shifts merged. */
export interface ResolvedAgent {
  spec: AgentSpec;
  /** The status inside shifts (or throughout, without shifts). */
  onDuty: AgentStatus;
  /** Sorted, disjoint, merged; `undefined` when the agent has no shifts. */
  shifts: Shift[] | undefined;
  replyTimeMs: Distribution;
  handleTimeMs: Distribution;
}

/** A {@link Scenario} with every default applied and every rule checked. */
export interface ResolvedScenario {
  router: RouterOptions;
  agents: ResolvedAgent[];
  arrivals: { perHour: readonly number[] } | { trace: readonly TraceArrival[] };
  returningShare: number;
  /** `undefined`: the trace's states and the router's default. */
  orderStateMix: { states: readonly string[]; cumulative: readonly number[] } | undefined;
  patienceMs: Distribution | undefined;
  robot: { resolveShare: number; resolveMs: Distribution; handoffMs: Distribution };
  durationMs: number;
  seed: number;
  sampleEveryMs: number;
}

/** The series grid may not have more points than this: a chart does not need them, and memory does. */
const MAX_SAMPLES = 100_000;

const SCENARIO_KEYS = new Set(['router', 'agents', 'arrivals', 'customers', 'robot', 'durationMs', 'seed', 'sampleEveryMs']);
const AGENT_KEYS = new Set(['id', 'status', 'weight', 'groups', 'cap', 'pending', 'shifts', 'replyTimeMs', 'handleTimeMs']);
const CUSTOMER_KEYS = new Set(['returningShare', 'orderStates', 'patienceMs']);
const ROBOT_KEYS = new Set(['resolveShare', 'resolveMs', 'handoffMs']);
const TRACE_KEYS = new Set(['at', 'customerId', 'orderState', 'priority', 'dedicatedAgentId', 'recentContacts', 'patienceMs']);

const DEFAULT_REPLY: Distribution = Object.freeze({ kind: 'exponential', meanMs: 30_000 });
const DEFAULT_HANDLE: Distribution = Object.freeze({ kind: 'exponential', meanMs: 300_000 });
const DEFAULT_RESOLVE: Distribution = Object.freeze({ kind: 'fixed', ms: 60_000 });
const DEFAULT_HANDOFF: Distribution = Object.freeze({ kind: 'fixed', ms: 20_000 });

function fail(field: string, what: string, got: unknown): never {
  throw expected('INVALID_SCENARIO', field, what, got);
}

/** Checks for a plain object; with `keys`, also that it has no field outside them (a typo fails loudly). */
function object(field: string, value: unknown, keys?: ReadonlySet<string>): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'an object', value);
  for (const key of Object.keys(value)) {
    if (keys !== undefined && !keys.has(key)) throw new RoutingError('INVALID_SCENARIO', `Unknown field \`${field}.${key}\`; known fields are ${[...keys].join(', ')}`, `${field}.${key}`);
  }
  return value as Record<string, unknown>;
}

function nonNegative(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(field, 'a finite number >= 0', value);
  return value;
}

function share(field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(field, 'a number in [0, 1]', value);
  return value;
}

/**
 * Applies a scenario's defaults and checks everything the router itself does not (the router's
 * options and agent fields are checked by the router, and reported as `INVALID_SCENARIO` too).
 *
 * @throws {RoutingError} `INVALID_SCENARIO`.
 */
export function resolveScenario(scenario: Scenario): ResolvedScenario {
  const s = object('scenario', scenario, SCENARIO_KEYS);
  const router = s.router === undefined ? {} : (object('scenario.router', s.router) as RouterOptions);
  const stateList: readonly string[] = Array.isArray(router.orderStates) ? router.orderStates : DEFAULT_ORDER_STATES;

  const durationMs = s.durationMs;
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs <= 0) fail('scenario.durationMs', 'a finite number > 0', durationMs);
  const seed = s.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) fail('scenario.seed', 'an integer in [0, 2^53)', seed);

  if (!Array.isArray(s.agents)) fail('scenario.agents', 'an array of agents', s.agents);
  const ids = new Set<string>();
  const agents = (s.agents as unknown[]).map((raw, i): ResolvedAgent => {
    const at = `scenario.agents[${i}]`;
    const a = object(at, raw, AGENT_KEYS);
    if (typeof a.id !== 'string' || a.id.length === 0) fail(`${at}.id`, 'a non-empty string', a.id);
    if (ids.has(a.id)) throw new RoutingError('INVALID_SCENARIO', `Expected agent ids to be unique, got ${JSON.stringify(a.id)} twice`, `${at}.id`);
    ids.add(a.id);
    const status = a.status === undefined ? 'online' : a.status;
    if (status !== 'online' && status !== 'suspended' && status !== 'offline') fail(`${at}.status`, "one of 'online', 'suspended', 'offline'", status);
    let shifts: Shift[] | undefined;
    if (a.shifts !== undefined) {
      if (!Array.isArray(a.shifts)) fail(`${at}.shifts`, 'an array of { from, to }', a.shifts);
      const list = (a.shifts as unknown[]).map((rawShift, j) => {
        const sh = object(`${at}.shifts[${j}]`, rawShift, new Set(['from', 'to']));
        const from = nonNegative(`${at}.shifts[${j}].from`, sh.from);
        const to = sh.to;
        if (typeof to !== 'number' || Number.isNaN(to) || to <= from) fail(`${at}.shifts[${j}].to`, `a number > from (${from})`, to);
        return { from, to };
      });
      list.sort((x, y) => x.from - y.from || x.to - y.to);
      shifts = [];
      for (const sh of list) {
        const last = shifts[shifts.length - 1];
        if (last !== undefined && sh.from <= last.to) last.to = Math.max(last.to, sh.to);
        else shifts.push({ ...sh });
      }
    }
    const spec: AgentSpec = { id: a.id };
    if (a.weight !== undefined) spec.weight = a.weight as number;
    if (a.groups !== undefined) spec.groups = a.groups as string[];
    if (a.cap !== undefined) spec.cap = a.cap as number;
    if (a.pending !== undefined) spec.pending = a.pending as number;
    return {
      spec,
      onDuty: status,
      shifts,
      replyTimeMs: a.replyTimeMs === undefined ? DEFAULT_REPLY : checkDistribution(`${at}.replyTimeMs`, a.replyTimeMs),
      handleTimeMs: a.handleTimeMs === undefined ? DEFAULT_HANDLE : checkDistribution(`${at}.handleTimeMs`, a.handleTimeMs),
    };
  });

  const c = s.customers === undefined ? {} : object('scenario.customers', s.customers, CUSTOMER_KEYS);
  const returningShare = c.returningShare === undefined ? 0 : share('scenario.customers.returningShare', c.returningShare);
  const patienceMs = c.patienceMs === undefined ? undefined : checkDistribution('scenario.customers.patienceMs', c.patienceMs);
  let orderStateMix: ResolvedScenario['orderStateMix'];
  if (c.orderStates !== undefined) {
    const mix = object('scenario.customers.orderStates', c.orderStates);
    const states: string[] = [];
    const cumulative: number[] = [];
    let total = 0;
    for (const [state, weight] of Object.entries(mix)) {
      if (!stateList.includes(state)) fail(`scenario.customers.orderStates`, `keyed by the router's order states (${stateList.join(', ')})`, state);
      total += nonNegative(`scenario.customers.orderStates.${state}`, weight);
      states.push(state);
      cumulative.push(total);
    }
    if (!(total > 0)) fail('scenario.customers.orderStates', 'weights with a sum > 0', total);
    orderStateMix = { states, cumulative: cumulative.map((x) => x / total) };
  } else if (typeof s.arrivals !== 'object' || s.arrivals === null || !('trace' in s.arrivals)) {
    orderStateMix = { states: stateList, cumulative: stateList.map((_, i) => (i + 1) / stateList.length) };
  }

  let arrivals: ResolvedScenario['arrivals'];
  const raw = s.arrivals;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('scenario.arrivals', 'an object { perHour } or { trace }', raw);
  const arr = raw as Record<string, unknown>;
  if ('perHour' in arr && !('trace' in arr)) {
    object('scenario.arrivals', arr, new Set(['perHour']));
    const perHour = arr.perHour;
    if (typeof perHour === 'number') {
      arrivals = { perHour: [nonNegative('scenario.arrivals.perHour', perHour)] };
    } else if (Array.isArray(perHour) && perHour.length === 24) {
      arrivals = { perHour: perHour.map((r: unknown, h) => nonNegative(`scenario.arrivals.perHour[${h}]`, r)) };
    } else {
      fail('scenario.arrivals.perHour', 'a rate >= 0, or an array of 24 rates (one per hour of the day)', perHour);
    }
  } else if ('trace' in arr && !('perHour' in arr)) {
    object('scenario.arrivals', arr, new Set(['trace']));
    if (!Array.isArray(arr.trace)) fail('scenario.arrivals.trace', 'an array of arrivals', arr.trace);
    let previous = 0;
    const trace = (arr.trace as unknown[]).map((rawArrival, i): TraceArrival => {
      const at = `scenario.arrivals.trace[${i}]`;
      const t = object(at, rawArrival, TRACE_KEYS);
      const time = nonNegative(`${at}.at`, t.at);
      if (time < previous) fail(`${at}.at`, `at least ${previous} (arrivals in time order)`, time);
      if (time >= durationMs) fail(`${at}.at`, `less than scenario.durationMs (${durationMs})`, time);
      previous = time;
      if (typeof t.customerId !== 'string' || t.customerId.length === 0) fail(`${at}.customerId`, 'a non-empty string', t.customerId);
      if (t.orderState !== undefined && (typeof t.orderState !== 'string' || !stateList.includes(t.orderState))) fail(`${at}.orderState`, `one of ${stateList.join(', ')}`, t.orderState);
      if (t.priority !== undefined && (typeof t.priority !== 'number' || !Number.isFinite(t.priority))) fail(`${at}.priority`, 'a finite number', t.priority);
      if (t.dedicatedAgentId !== undefined && (typeof t.dedicatedAgentId !== 'string' || !ids.has(t.dedicatedAgentId))) fail(`${at}.dedicatedAgentId`, 'the id of an agent of the scenario', t.dedicatedAgentId);
      if (t.recentContacts !== undefined) {
        if (!Array.isArray(t.recentContacts)) fail(`${at}.recentContacts`, 'an array of { agentId, at }', t.recentContacts);
        (t.recentContacts as unknown[]).forEach((contact, j) => {
          const c = object(`${at}.recentContacts[${j}]`, contact);
          if (typeof c.agentId !== 'string' || c.agentId.length === 0) fail(`${at}.recentContacts[${j}].agentId`, 'a non-empty string', c.agentId);
          if (typeof c.at !== 'number' || !Number.isFinite(c.at)) fail(`${at}.recentContacts[${j}].at`, 'a finite number', c.at);
        });
      }
      if (t.patienceMs !== undefined) nonNegative(`${at}.patienceMs`, t.patienceMs);
      return t as unknown as TraceArrival;
    });
    arrivals = { trace };
  } else {
    throw new RoutingError('INVALID_SCENARIO', `Expected \`scenario.arrivals\` to be { perHour } or { trace } (exactly one), got ${describe(raw)} with fields ${Object.keys(arr).join(', ') || 'none'}`, 'scenario.arrivals');
  }

  const r = s.robot === undefined ? {} : object('scenario.robot', s.robot, ROBOT_KEYS);
  if (s.robot !== undefined && r.resolveShare === undefined) fail('scenario.robot.resolveShare', 'a number in [0, 1]', undefined);
  const robot = {
    resolveShare: r.resolveShare === undefined ? 0 : share('scenario.robot.resolveShare', r.resolveShare),
    resolveMs: r.resolveMs === undefined ? DEFAULT_RESOLVE : checkDistribution('scenario.robot.resolveMs', r.resolveMs),
    handoffMs: r.handoffMs === undefined ? DEFAULT_HANDOFF : checkDistribution('scenario.robot.handoffMs', r.handoffMs),
  };

  let sampleEveryMs = Math.ceil(durationMs / 1440 / 60_000) * 60_000;
  if (s.sampleEveryMs !== undefined) {
    const v = s.sampleEveryMs;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail('scenario.sampleEveryMs', 'a finite number > 0', v);
    sampleEveryMs = v;
  }
  if (durationMs / sampleEveryMs > MAX_SAMPLES) fail('scenario.sampleEveryMs', `at least durationMs / ${MAX_SAMPLES} (${durationMs / MAX_SAMPLES})`, sampleEveryMs);

  return { router, agents, arrivals, returningShare, orderStateMix, patienceMs, robot, durationMs, seed, sampleEveryMs };
}

/** One hour, in ms: the width of a `perHour` rate's slot. */
export const HOUR_MS = HOUR;
