import { describe, expected, RoutingError } from '../errors.js';
import { DEFAULT_ORDER_STATES, type RouterOptions } from '../options.js';
import type { AgentSpec, AgentStatus, RecentContact } from '../types.js';
import { MAX_COST, MAX_ID_LENGTH, MIN_COST } from '../validate.js';
import { checkDistribution, type Distribution } from './distributions.js';

const HOUR = 3_600_000;

/** A stretch of simulated time in which an agent is on duty: online from `from` (inclusive) to `to` (exclusive), in ms. */
export interface Shift {
  /** Start of the shift (ms since the start of the run), inclusive. */
  from: number;
  /** End of the shift (ms), exclusive; after `from`. */
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
  shifts?: Shift[] | undefined;
  /**
   * Time from an assignment (or a customer's follow-up message) to the agent's reply.
   * @default { kind: 'exponential', meanMs: 30000 }
   */
  replyTimeMs?: Distribution | undefined;
  /**
   * Time from an assignment to the end of the chat: how long it holds one of the agent's slots.
   * @default { kind: 'exponential', meanMs: 300000 }
   */
  handleTimeMs?: Distribution | undefined;
  /**
   * How much longer a chat takes while the agent juggles: `handleTimeFactors[k − 1]` multiplies
   * the pace of handling while the agent holds `k` chats (past the end of the array, the last
   * factor holds). `[1, 1.25, 1.625]` with a 4-minute `handleTimeMs` is 4 minutes alone, 5 with
   * two chats, 6.5 with three — what `requiredAgents` takes as `handleTimeMs: [240000, 300000, 390000]`.
   *
   * A chat's handling is drawn from `handleTimeMs` at its assignment, as the work it needs alone;
   * while its agent holds `k` chats, that work is done at `1 / handleTimeFactors[k − 1]` of the
   * pace alone, and whenever `k` changes the end of every chat the agent holds moves to match
   * (processor sharing by level). A chat its agent never answers (`noAnswerShare`) counts in `k`
   * but keeps the time drawn at its assignment. Positive finite numbers.
   * @default every level at the pace alone
   */
  handleTimeFactors?: number[] | undefined;
  /**
   * The share of its assignments the agent never answers (it walked away, or missed the chat):
   * no reply comes, and only an answer timeout (`router.answerTimeoutMs`) takes the chat to
   * someone else. In [0, 1].
   * @default 0
   */
  noAnswerShare?: number | undefined;
}

/** One arrival of a recorded trace. */
export interface TraceArrival {
  /** Arrival time (ms since the start of the run); arrivals must be in non-decreasing `at` order. */
  at: number;
  /** The customer who writes; a customer already in an open chat sends a follow-up message in it. */
  customerId: string;
  /** Defaults to a draw from `customers.orderStates` when given, else the router's default (`'none'`). */
  orderState?: string | undefined;
  /**
   * The buyer's segment (人群), matched against the groups' `segments`. Defaults to the segment
   * this customer had at an earlier arrival of the trace, else to a draw from `customers.segments`
   * when given, else none. Any non-empty string.
   */
  segment?: string | undefined;
  /** The product asked about (商品). Defaults to a draw from `customers.products` when given, else none. Any non-empty string. */
  product?: string | undefined;
  /** The customer's intent (意图). Defaults to a draw from `customers.intents` when given, else none. Any non-empty string. */
  intent?: string | undefined;
  /** Higher is served first from the waiting queue. @default 0 */
  priority?: number | undefined;
  /** 专属客服: the customer's dedicated agent (an agent of the scenario). */
  dedicatedAgentId?: string | undefined;
  /** Contacts from before the run (rule 2), e.g. the agent who served this customer yesterday. */
  recentContacts?: RecentContact[] | undefined;
  /** This customer's patience in the queue (ms). Defaults to a draw from `customers.patienceMs`. */
  patienceMs?: number | undefined;
  /**
   * The units of an agent's cap the consultation takes (`Consultation.cost`: a video call may
   * cost 2). Defaults to a draw from `customers.costs` when given, else 1. A number in [1e-6, 1e6].
   */
  cost?: number | undefined;
}

/**
 * How consultations arrive: a Poisson process with a rate per hour — one rate, or 24 rates, one per
 * hour of the simulated day (piecewise constant; simulated time 0 is midnight) — or a recorded trace.
 * Rates may bring at most 500,000 arrivals over the run: the result keeps every consultation.
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
  returningShare?: number | undefined;
  /**
   * The mix of order states, as relative weights (they need not sum to 1).
   * @default every one of `router.orderStates` equally
   */
  orderStates?: Record<string, number> | undefined;
  /**
   * The mix of buyer segments (人群, e.g. a member tier), as relative weights: `{ vip: 1, regular: 4 }`.
   * A segment belongs to the customer: drawn at a customer's first arrival, it stays the same
   * when the customer comes back. To leave a share without a segment, weigh a value no group
   * binds (e.g. `other`): matching skips it, as it skips a consultation without one.
   * @default no segment
   */
  segments?: Record<string, number> | undefined;
  /**
   * The mix of products asked about (商品: items or categories), as relative weights; drawn for
   * every new consultation. @default no product
   */
  products?: Record<string, number> | undefined;
  /**
   * The mix of intents (意图), as relative weights; drawn for every new consultation, and known
   * when it arrives (as when the robot classifies the first message before routing).
   * @default no intent
   */
  intents?: Record<string, number> | undefined;
  /**
   * The mix of consultation costs (`Consultation.cost`, the units of an agent's cap a chat takes),
   * as relative weights keyed by the cost written as a number: `{ '1': 4, '2': 1 }` is one video
   * call of cost 2 to four text chats. Drawn for every new consultation from a stream of its own,
   * so giving it moves no arrival and no other draw.
   * @default every consultation costs 1
   */
  costs?: Record<string, number> | undefined;
  /**
   * How long a customer waits for a human before giving up: in the waiting queue (from entering
   * it), or with an agent who never answers (from the assignment). @default never gives up
   */
  patienceMs?: Distribution | undefined;
}

/** How the shop's robot (店小蜜) behaves with the consultations it receives. */
export interface RobotBehaviour {
  /** The share of its consultations the robot resolves by itself; it hands the rest over to a human. In [0, 1]. */
  resolveShare: number;
  /** How long a resolved chat lasts before it ends. @default { kind: 'fixed', ms: 60000 } */
  resolveMs?: Distribution | undefined;
  /** How long the robot talks before handing over (`Router.escalate`). @default { kind: 'fixed', ms: 20000 } */
  handoffMs?: Distribution | undefined;
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
  /** The shop's agents, with their shifts and their reply and handling times. */
  agents: SimulatedAgent[];
  /** When customers write: a Poisson rate per hour (one, or one per hour of the run), or a trace. */
  arrivals: Arrivals;
  /** Who the customers are: order states, scopes, costs, returning share and patience. @default new customers spread over every order state, who never give up */
  customers?: CustomerMix | undefined;
  /** Needed when `router.robot` is true. @default { resolveShare: 0 } (the robot hands every chat over) */
  robot?: RobotBehaviour | undefined;
  /** The simulated time span (ms, at most ten years): arrivals fall in `[0, durationMs)`, and the run stops at `durationMs`. */
  durationMs: number;
  /** An integer in [0, 2^53): the same scenario and seed give the same result on every machine. */
  seed: number;
  /**
   * The grid of `series` samples (ms): at most 100,000 points, and at most 10 million values (a
   * point holds one per agent and one for the shop).
   * @default durationMs / 1440 rounded up to whole minutes (one-minute samples over a day)
   */
  sampleEveryMs?: number | undefined;
}

/** An agent with its defaults applied and its shifts merged. */
export interface ResolvedAgent {
  /** Its place in `scenario.agents`, for error messages. */
  index: number;
  spec: AgentSpec;
  /** The status inside shifts (or throughout, without shifts). */
  onDuty: AgentStatus;
  /** Sorted, disjoint, merged; `undefined` when the agent has no shifts. */
  shifts: Shift[] | undefined;
  replyTimeMs: Distribution;
  handleTimeMs: Distribution;
  /** `undefined`: every level at the pace alone. */
  handleTimeFactors: readonly number[] | undefined;
  noAnswerShare: number;
}

/** A mix of values by relative weight: `cumulative[i]` is the share of `values[0..i]`, the last one 1. */
export interface Mix {
  readonly values: readonly string[];
  readonly cumulative: readonly number[];
}

/** A {@link Scenario} with every default applied and every rule checked. */
export interface ResolvedScenario {
  router: RouterOptions;
  agents: ResolvedAgent[];
  arrivals: { perHour: readonly number[] } | { trace: readonly TraceArrival[] };
  returningShare: number;
  /** `undefined`: the trace's states and the router's default. */
  orderStateMix: Mix | undefined;
  /** `undefined`: the trace's values, else none. */
  segmentMix: Mix | undefined;
  productMix: Mix | undefined;
  intentMix: Mix | undefined;
  /** `undefined`: the trace's costs, else 1. Its values are costs written as numbers. */
  costMix: Mix | undefined;
  patienceMs: Distribution | undefined;
  robot: { resolveShare: number; resolveMs: Distribution; handoffMs: Distribution };
  durationMs: number;
  seed: number;
  sampleEveryMs: number;
}

/** The series grid may not have more points than this: a chart does not need them, and memory does. */
const MAX_SAMPLES = 100_000;
/** Nor more values (a point per agent and one for the shop): 16 bytes each. */
const MAX_SAMPLE_VALUES = 10_000_000;
/** The longest simulated time: ten years, an hour of arrivals at a time. */
const MAX_DURATION_MS = 3650 * 24 * HOUR;
/** The most arrivals a run may expect: the result keeps about 2 kB for each consultation. */
const MAX_ARRIVALS = 500_000;

const SCENARIO_KEYS = new Set(['router', 'agents', 'arrivals', 'customers', 'robot', 'durationMs', 'seed', 'sampleEveryMs']);
const AGENT_KEYS = new Set(['id', 'status', 'weight', 'groups', 'cap', 'pending', 'shifts', 'replyTimeMs', 'handleTimeMs', 'handleTimeFactors', 'noAnswerShare']);
const CUSTOMER_KEYS = new Set(['returningShare', 'orderStates', 'segments', 'products', 'intents', 'costs', 'patienceMs']);
const ROBOT_KEYS = new Set(['resolveShare', 'resolveMs', 'handoffMs']);
const TRACE_KEYS = new Set(['at', 'customerId', 'orderState', 'segment', 'product', 'intent', 'priority', 'dedicatedAgentId', 'recentContacts', 'patienceMs', 'cost']);
const SHIFT_KEYS = new Set(['from', 'to']);
const PER_HOUR_KEYS = new Set(['perHour']);
const TRACE_ONLY_KEYS = new Set(['trace']);

const DEFAULT_REPLY: Distribution = Object.freeze({ kind: 'exponential', meanMs: 30_000 });
const DEFAULT_HANDLE: Distribution = Object.freeze({ kind: 'exponential', meanMs: 300_000 });
const DEFAULT_RESOLVE: Distribution = Object.freeze({ kind: 'fixed', ms: 60_000 });
const DEFAULT_HANDOFF: Distribution = Object.freeze({ kind: 'fixed', ms: 20_000 });

function fail(field: string, what: string, got: unknown): never {
  throw expected('INVALID_SCENARIO', field, what, got);
}

/**
 * The problems found so far. A check that fails records its error and hands back a stand-in value,
 * so that the checks after it still run and one error can list every problem of the file.
 */
class Problems {
  readonly list: RoutingError[] = [];

  /** Runs `check`; when it throws a {@link RoutingError}, records it and returns `fallback`. */
  check<T>(fallback: T, check: () => T): T {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof RoutingError)) throw error;
      this.list.push(error);
      return fallback;
    }
  }
}

/**
 * Checks for a plain object (throws when it is not); with `keys`, records every field outside them
 * (a typo fails loudly) and carries on.
 */
function object(problems: Problems, field: string, value: unknown, keys?: ReadonlySet<string>): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'an object', value);
  for (const key in value) {
    if (keys !== undefined && !keys.has(key)) problems.list.push(new RoutingError('INVALID_SCENARIO', `Unknown field \`${field}.${key}\`; known fields are ${[...keys].join(', ')}`, `${field}.${key}`));
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

/** What {@link checkScenario} found: the scenario with its defaults, and every problem. */
export interface ScenarioCheck {
  /** Every problem, in the order of the fields; empty for a valid scenario. */
  problems: RoutingError[];
  /** The scenario with its defaults applied. Stand-in values fill the fields with problems. */
  resolved: ResolvedScenario;
  /**
   * Whether `resolved.router` is the router options as given (an object), so that the router's
   * own checks of them, and of the agents, can run. False when they are a stand-in.
   */
  routerAsGiven: boolean;
}

/**
 * One error for every problem of a scenario: the problem itself when there is one, else a list
 * (`The scenario has 3 problems:` and one `- …` line each). Its `field` is the first problem's.
 */
export function scenarioError(problems: readonly RoutingError[]): RoutingError {
  const first = problems[0];
  if (first === undefined) return new RoutingError('INVALID_SCENARIO', 'Expected a valid scenario');
  if (problems.length === 1) return first;
  const lines = problems.map((p) => `- ${p.message}`);
  return new RoutingError('INVALID_SCENARIO', `The scenario has ${problems.length} problems:\n${lines.join('\n')}`, first.field);
}

/**
 * Applies a scenario's defaults and checks everything the router itself does not (the router's
 * options and agent fields are checked by the router, and reported as `INVALID_SCENARIO` too).
 *
 * @throws {RoutingError} `INVALID_SCENARIO`, listing every problem found.
 */
export function resolveScenario(scenario: Scenario): ResolvedScenario {
  const { problems, resolved } = checkScenario(scenario);
  if (problems.length > 0) throw scenarioError(problems);
  return resolved;
}

/**
 * Applies a scenario's defaults and collects every problem of the checks the router does not
 * make; never throws a {@link RoutingError}. A field whose value is not even of the right shape
 * (e.g. `agents` that is not an array) hides the checks inside it.
 */
export function checkScenario(scenario: Scenario): ScenarioCheck {
  const p = new Problems();
  const s = p.check(undefined, () => object(p, 'scenario', scenario, SCENARIO_KEYS));
  if (s === undefined) return { problems: p.list, resolved: STAND_IN, routerAsGiven: false };
  const routerGiven = s.router === undefined ? {} : p.check(undefined, () => object(p, 'scenario.router', s.router) as RouterOptions);
  const router = routerGiven ?? {};
  const stateList: readonly string[] = Array.isArray(router.orderStates) ? router.orderStates : DEFAULT_ORDER_STATES;

  const durationMs = p.check(NaN, () => {
    const v = s.durationMs;
    if (typeof v !== 'number' || !(v > 0 && v <= MAX_DURATION_MS)) fail('scenario.durationMs', `a number in (0, ${MAX_DURATION_MS}] (ten years)`, v);
    return v;
  });
  const seed = p.check(0, () => {
    const v = s.seed;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail('scenario.seed', 'an integer in [0, 2^53)', v);
    return v;
  });

  const ids = new Set<string>();
  const agentsGiven = Array.isArray(s.agents);
  if (!agentsGiven) p.check(undefined, () => fail('scenario.agents', 'an array of agents', s.agents));
  const agents: ResolvedAgent[] = [];
  for (const [i, raw] of (agentsGiven ? (s.agents as unknown[]) : []).entries()) {
    const agent = p.check(undefined, () => resolveAgent(p, i, raw, ids));
    if (agent !== undefined) agents.push(agent);
  }

  const c = s.customers === undefined ? {} : p.check({}, () => object(p, 'scenario.customers', s.customers, CUSTOMER_KEYS));
  const returningShare = c.returningShare === undefined ? 0 : p.check(0, () => share('scenario.customers.returningShare', c.returningShare));
  const patienceMs = c.patienceMs === undefined ? undefined : p.check(undefined, () => checkDistribution('scenario.customers.patienceMs', c.patienceMs));
  let orderStateMix: ResolvedScenario['orderStateMix'];
  if (c.orderStates !== undefined) {
    orderStateMix = p.check(undefined, () => orderStates(p, c.orderStates, stateList));
  } else if (typeof s.arrivals !== 'object' || s.arrivals === null || !('trace' in s.arrivals)) {
    orderStateMix = { values: stateList, cumulative: stateList.map((_, i) => (i + 1) / stateList.length) };
  }
  const scopeMix = (field: 'segments' | 'products' | 'intents'): Mix | undefined =>
    c[field] === undefined ? undefined : p.check(undefined, () => weights(p, `scenario.customers.${field}`, c[field], undefined));
  const segmentMix = scopeMix('segments');
  const productMix = scopeMix('products');
  const intentMix = scopeMix('intents');
  const costMix = c.costs === undefined ? undefined : p.check(undefined, () => costs(p, c.costs));

  const arrivals = p.check<ResolvedScenario['arrivals']>({ perHour: [0] }, () => resolveArrivals(p, s.arrivals, durationMs, stateList, ids));
  if ('perHour' in arrivals) {
    // Hour by hour (at most 87,600 of them), the last one in part.
    const rates = arrivals.perHour;
    const hours = durationMs / HOUR;
    let expectedArrivals = 0;
    for (let h = 0; h < hours; h++) expectedArrivals += (rates[h % rates.length] as number) * Math.min(1, hours - h);
    if (expectedArrivals > MAX_ARRIVALS) p.check(undefined, () => fail('scenario.arrivals.perHour', `rates that bring at most ${MAX_ARRIVALS} arrivals over durationMs (the result keeps every consultation), ${Number.isFinite(expectedArrivals) ? `${Math.round(expectedArrivals)} expected` : 'more than a number can hold expected'}`, (s.arrivals as { perHour?: unknown }).perHour));
  }

  const r = s.robot === undefined ? {} : p.check({}, () => object(p, 'scenario.robot', s.robot, ROBOT_KEYS));
  if (s.robot !== undefined && r.resolveShare === undefined) p.check(undefined, () => fail('scenario.robot.resolveShare', 'a number in [0, 1]', undefined));
  const robot = {
    resolveShare: r.resolveShare === undefined ? 0 : p.check(0, () => share('scenario.robot.resolveShare', r.resolveShare)),
    resolveMs: r.resolveMs === undefined ? DEFAULT_RESOLVE : p.check(DEFAULT_RESOLVE, () => checkDistribution('scenario.robot.resolveMs', r.resolveMs)),
    handoffMs: r.handoffMs === undefined ? DEFAULT_HANDOFF : p.check(DEFAULT_HANDOFF, () => checkDistribution('scenario.robot.handoffMs', r.handoffMs)),
  };

  let sampleEveryMs = Math.ceil(durationMs / 1440 / 60_000) * 60_000;
  if (s.sampleEveryMs !== undefined) {
    const v = s.sampleEveryMs;
    sampleEveryMs = p.check(NaN, () => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail('scenario.sampleEveryMs', 'a finite number > 0', v);
      return v;
    });
  }
  if (durationMs / sampleEveryMs > MAX_SAMPLES) p.check(undefined, () => fail('scenario.sampleEveryMs', `at least durationMs / ${MAX_SAMPLES} (${durationMs / MAX_SAMPLES})`, sampleEveryMs));
  else if ((durationMs / sampleEveryMs) * (agents.length + 1) > MAX_SAMPLE_VALUES) {
    p.check(undefined, () => fail('scenario.sampleEveryMs', `at least durationMs × (agents + 1) / ${MAX_SAMPLE_VALUES} (${(durationMs * (agents.length + 1)) / MAX_SAMPLE_VALUES})`, sampleEveryMs));
  }

  return {
    problems: p.list,
    resolved: { router, agents, arrivals, returningShare, orderStateMix, segmentMix, productMix, intentMix, costMix, patienceMs, robot, durationMs, seed, sampleEveryMs },
    routerAsGiven: routerGiven !== undefined && agentsGiven,
  };
}

/** What {@link checkScenario} hands back for a scenario that is not an object at all. */
const STAND_IN: ResolvedScenario = {
  router: {}, agents: [], arrivals: { perHour: [0] }, returningShare: 0, orderStateMix: undefined, segmentMix: undefined, productMix: undefined, intentMix: undefined, costMix: undefined, patienceMs: undefined,
  robot: { resolveShare: 0, resolveMs: DEFAULT_RESOLVE, handoffMs: DEFAULT_HANDOFF }, durationMs: NaN, seed: 0, sampleEveryMs: NaN,
};

function resolveAgent(p: Problems, index: number, raw: unknown, ids: Set<string>): ResolvedAgent {
  const at = `scenario.agents[${index}]`;
  const a = object(p, at, raw, AGENT_KEYS);
  if (typeof a.id !== 'string' || a.id.length === 0) fail(`${at}.id`, 'a non-empty string', a.id);
  if (ids.has(a.id)) throw new RoutingError('INVALID_SCENARIO', `Expected agent ids to be unique, got ${JSON.stringify(a.id)} twice`, `${at}.id`);
  ids.add(a.id);
  const status = p.check<AgentStatus>('online', () => {
    const v = a.status === undefined ? 'online' : a.status;
    if (v !== 'online' && v !== 'suspended' && v !== 'offline') fail(`${at}.status`, "one of 'online', 'suspended', 'offline'", v);
    return v;
  });
  let shifts: Shift[] | undefined;
  if (a.shifts !== undefined) shifts = p.check(undefined, () => mergeShifts(p, at, a.shifts));
  const spec: AgentSpec = { id: a.id };
  if (a.weight !== undefined) spec.weight = a.weight as number;
  if (a.groups !== undefined) spec.groups = a.groups as string[];
  if (a.cap !== undefined) spec.cap = a.cap as number;
  if (a.pending !== undefined) spec.pending = a.pending as number;
  return {
    index,
    spec,
    onDuty: status,
    shifts,
    replyTimeMs: a.replyTimeMs === undefined ? DEFAULT_REPLY : p.check(DEFAULT_REPLY, () => checkDistribution(`${at}.replyTimeMs`, a.replyTimeMs)),
    handleTimeMs: a.handleTimeMs === undefined ? DEFAULT_HANDLE : p.check(DEFAULT_HANDLE, () => checkDistribution(`${at}.handleTimeMs`, a.handleTimeMs)),
    handleTimeFactors: a.handleTimeFactors === undefined ? undefined : p.check(undefined, () => factors(p, `${at}.handleTimeFactors`, a.handleTimeFactors)),
    noAnswerShare: a.noAnswerShare === undefined ? 0 : p.check(0, () => share(`${at}.noAnswerShare`, a.noAnswerShare)),
  };
}

/** A non-empty array of positive finite numbers; every bad element is a problem of its own. */
function factors(p: Problems, field: string, value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0) fail(field, 'a non-empty array of finite numbers > 0 (one per number of chats held)', value);
  const list = value as unknown[];
  let ok = true;
  for (const [k, v] of list.entries()) {
    p.check(undefined, () => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
        ok = false;
        fail(`${field}[${k}]`, 'a finite number > 0', v);
      }
    });
  }
  return ok ? (list as number[]) : undefined;
}

/** Sorted, disjoint shifts: overlapping or back-to-back ones merged. */
function mergeShifts(p: Problems, at: string, value: unknown): Shift[] {
  if (!Array.isArray(value)) fail(`${at}.shifts`, 'an array of { from, to }', value);
  const list: Shift[] = [];
  for (const [j, rawShift] of (value as unknown[]).entries()) {
    const shift = p.check(undefined, () => {
      const sh = object(p, `${at}.shifts[${j}]`, rawShift, SHIFT_KEYS);
      const from = nonNegative(`${at}.shifts[${j}].from`, sh.from);
      const to = sh.to;
      if (typeof to !== 'number' || Number.isNaN(to) || to <= from) fail(`${at}.shifts[${j}].to`, `a number > from (${from})`, to);
      return { from, to };
    });
    if (shift !== undefined) list.push(shift);
  }
  list.sort((x, y) => x.from - y.from || x.to - y.to);
  const shifts: Shift[] = [];
  for (const sh of list) {
    const last = shifts[shifts.length - 1];
    if (last !== undefined && sh.from <= last.to) last.to = Math.max(last.to, sh.to);
    else shifts.push({ ...sh });
  }
  return shifts;
}

function orderStates(p: Problems, value: unknown, stateList: readonly string[]): Mix {
  return weights(p, 'scenario.customers.orderStates', value, stateList);
}

/**
 * A mix of values by relative weight: an object of finite weights >= 0 with a sum > 0, keyed by
 * `known` values when given (the router's order states), else by any non-empty strings.
 */
function weights(p: Problems, field: string, value: unknown, known: readonly string[] | undefined): Mix {
  const mix = object(p, field, value);
  const values: string[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [key, weight] of Object.entries(mix)) {
    if (known !== undefined && !known.includes(key)) {
      p.check(undefined, () => fail(field, `keyed by the router's order states (${known.join(', ')})`, key));
      continue;
    }
    if (key.length === 0 || key.length > MAX_ID_LENGTH) {
      p.check(undefined, () => fail(field, `keyed by non-empty strings of at most ${MAX_ID_LENGTH} characters`, key));
      continue;
    }
    total += p.check(0, () => nonNegative(`${field}.${key}`, weight));
    values.push(key);
    cumulative.push(total);
  }
  if (!(total > 0)) fail(field, 'weights with a sum > 0', total);
  return { values, cumulative: cumulative.map((x) => x / total) };
}

/** A mix of costs: weights keyed by numbers in [1e-6, 1e6] written as such (`'1'`, `'2'`, `'0.5'`). */
function costs(p: Problems, value: unknown): Mix {
  const field = 'scenario.customers.costs';
  const keyed = object(p, field, value);
  const good: Record<string, unknown> = {};
  for (const [key, weight] of Object.entries(keyed)) {
    const cost = Number(key);
    if (key.trim() !== key || key === '' || !(cost >= MIN_COST && cost <= MAX_COST)) p.check(undefined, () => fail(field, `keyed by costs, numbers in [${MIN_COST}, ${MAX_COST}] (e.g. '1', '2')`, key));
    else good[key] = weight;
  }
  return weights(p, field, good, undefined);
}

function resolveArrivals(p: Problems, raw: unknown, durationMs: number, stateList: readonly string[], ids: ReadonlySet<string>): ResolvedScenario['arrivals'] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('scenario.arrivals', 'an object { perHour } or { trace }', raw);
  const arr = raw as Record<string, unknown>;
  if ('perHour' in arr && !('trace' in arr)) {
    object(p, 'scenario.arrivals', arr, PER_HOUR_KEYS);
    const perHour = arr.perHour;
    if (typeof perHour === 'number') return { perHour: [nonNegative('scenario.arrivals.perHour', perHour)] };
    if (Array.isArray(perHour) && perHour.length === 24) return { perHour: Array.from(perHour, (r: unknown, h) => p.check(0, () => nonNegative(`scenario.arrivals.perHour[${h}]`, r))) };
    fail('scenario.arrivals.perHour', 'a rate >= 0, or an array of 24 rates (one per hour of the day)', perHour);
  }
  if ('trace' in arr && !('perHour' in arr)) {
    object(p, 'scenario.arrivals', arr, TRACE_ONLY_KEYS);
    if (!Array.isArray(arr.trace)) fail('scenario.arrivals.trace', 'an array of arrivals', arr.trace);
    let previous = 0;
    const trace: TraceArrival[] = [];
    for (const [i, rawArrival] of (arr.trace as unknown[]).entries()) {
      const arrival = p.check(undefined, () => {
        const at = `scenario.arrivals.trace[${i}]`;
        const t = object(p, at, rawArrival, TRACE_KEYS);
        const time = p.check(NaN, () => nonNegative(`${at}.at`, t.at));
        if (time < previous) p.check(undefined, () => fail(`${at}.at`, `at least ${previous} (arrivals in time order)`, time));
        if (time >= durationMs) p.check(undefined, () => fail(`${at}.at`, `less than scenario.durationMs (${durationMs})`, time));
        if (time > previous) previous = time;
        p.check(undefined, () => {
          if (typeof t.customerId !== 'string' || t.customerId.length === 0) fail(`${at}.customerId`, 'a non-empty string', t.customerId);
        });
        p.check(undefined, () => {
          if (t.orderState !== undefined && (typeof t.orderState !== 'string' || !stateList.includes(t.orderState))) fail(`${at}.orderState`, `one of ${stateList.join(', ')}`, t.orderState);
        });
        for (const key of ['segment', 'product', 'intent'] as const) {
          p.check(undefined, () => {
            const v = t[key];
            if (v !== undefined && (typeof v !== 'string' || v.length === 0)) fail(`${at}.${key}`, 'a non-empty string', v);
          });
        }
        p.check(undefined, () => {
          if (t.priority !== undefined && (typeof t.priority !== 'number' || !Number.isFinite(t.priority))) fail(`${at}.priority`, 'a finite number', t.priority);
        });
        p.check(undefined, () => {
          if (t.dedicatedAgentId !== undefined && (typeof t.dedicatedAgentId !== 'string' || !ids.has(t.dedicatedAgentId))) fail(`${at}.dedicatedAgentId`, 'the id of an agent of the scenario', t.dedicatedAgentId);
        });
        if (t.recentContacts !== undefined) {
          p.check(undefined, () => {
            if (!Array.isArray(t.recentContacts)) fail(`${at}.recentContacts`, 'an array of { agentId, at }', t.recentContacts);
            for (const [j, contact] of (t.recentContacts as unknown[]).entries()) {
              p.check(undefined, () => {
                const c = object(p, `${at}.recentContacts[${j}]`, contact);
                if (typeof c.agentId !== 'string' || c.agentId.length === 0) fail(`${at}.recentContacts[${j}].agentId`, 'a non-empty string', c.agentId);
                if (typeof c.at !== 'number' || !Number.isFinite(c.at)) fail(`${at}.recentContacts[${j}].at`, 'a finite number', c.at);
              });
            }
          });
        }
        if (t.patienceMs !== undefined) p.check(undefined, () => nonNegative(`${at}.patienceMs`, t.patienceMs));
        p.check(undefined, () => {
          if (t.cost !== undefined && (typeof t.cost !== 'number' || !(t.cost >= MIN_COST && t.cost <= MAX_COST))) fail(`${at}.cost`, `a number in [${MIN_COST}, ${MAX_COST}]`, t.cost);
        });
        return t as unknown as TraceArrival;
      });
      if (arrival !== undefined) trace.push(arrival);
    }
    return { trace };
  }
  throw new RoutingError('INVALID_SCENARIO', `Expected \`scenario.arrivals\` to be { perHour } or { trace } (exactly one), got ${describe(raw)} with fields ${Object.keys(arr).join(', ') || 'none'}`, 'scenario.arrivals');
}

/** One hour, in ms: the width of a `perHour` rate's slot. */
export const HOUR_MS = HOUR;
