import { expected, RoutingError } from '../errors.js';
import { checkKeys } from '../validate.js';
import { floorBelowQueue, type FloorBelowQueue } from './_internals/juggling.js';
import { erlangBLadder, logG, logH, MAX_ITERATIONS, NotConvergedError, softplus } from './_internals/special.js';

const HOUR_MS = 3_600_000;
/** Beyond ten million servers the O(n) Erlang-B recursion stops being instant; no shop is that big. */
export const MAX_SERVERS = 10_000_000;

/** What {@link erlangC} needs: the traffic, the staffing and the answer-time target. */
export interface ErlangCInput {
  /** Consultations arriving per hour (Poisson arrivals). A finite number ≥ 0. */
  arrivalsPerHour: number;
  /**
   * Mean handling time of one consultation, in ms (exponentially distributed): a finite number
   * > 0, the same however many chats the agent holds; or one per concurrency level, where
   * `handleTimeMs[k − 1]` is the mean time of each chat while its agent holds `k` chats (agents
   * who slow down as they juggle, e.g. `[240_000, 300_000, 390_000]`). See {@link HandleTimes}.
   */
  handleTimeMs: HandleTimes;
  /** Agents on duty. An integer ≥ 1. */
  agents: number;
  /**
   * Consultations one agent serves at once (接待上限). With one handling time the model treats
   * the team as `agents × concurrency` independent servers, each with the full `handleTimeMs`;
   * with one per level, as agents whose chats take longer the more they hold.
   * @default 1, or the length of a `handleTimeMs` array
   */
  concurrency?: number | undefined;
  /** The answer-time target the service level is measured against, in ms. A finite number ≥ 0. */
  answerWithinMs: number;
}

/**
 * Mean handling time of one consultation, in ms: one number for every concurrency level, or one
 * per level — `[h(1), h(2), …]`, where `h(k)` is the mean time of each chat while its agent holds
 * `k` chats. An agent holding `k` chats then completes chats at `k / h(k)` in total; the team is
 * planned as one birth–death chain whose completion rate at every number of chats in service is
 * the sum over agents, the chats spread evenly (see `docs/capacity-planning.md`).
 *
 * An array needs a finite number > 0 for every level up to `concurrency`; levels beyond it are
 * never reached and are ignored. The times need not rise with the level, but the staffing search
 * of {@link requiredAgents} relies on every added agent raising the service level, which holds
 * when they do not fall.
 */
export type HandleTimes = number | readonly number[];

/** The steady-state figures of a staffing level. */
export interface ErlangCResult {
  /** Share of arrivals that find every server busy and have to wait, in [0, 1]. */
  waitProbability: number;
  /** Mean wait before an agent answers, over all arrivals (those answered at once count 0), in ms. */
  meanWaitMs: number;
  /** Share of all arrivals answered within `answerWithinMs`, in [0, 1]. */
  serviceLevel: number;
  /**
   * Mean share of server capacity in use: chats in service ÷ (agents × concurrency), in [0, 1].
   * With one handling time that is the carried load ÷ (agents × concurrency).
   */
  occupancy: number;
}

/** What {@link erlangA} needs: {@link ErlangCInput} plus how long customers wait before giving up. */
export interface ErlangAInput extends ErlangCInput {
  /** Mean patience of a waiting customer, in ms (exponentially distributed). A finite number > 0. */
  patienceMs: number;
}

/**
 * The steady-state figures of a staffing level when waiting customers abandon. `meanWaitMs` is
 * the mean time in the queue over all arrivals, abandoned ones included (until they leave), and
 * `serviceLevel` counts as met only arrivals that are answered within the target: an abandoned
 * customer never counts, however early they left.
 */
export interface ErlangAResult extends ErlangCResult {
  /** Share of arrivals that give up before an agent answers, in [0, 1]. */
  abandonProbability: number;
}

/** A staffing target: `serviceLevel` of all arrivals answered within `withinMs`. */
export interface StaffingTarget {
  /** The share to answer in time, in (0, 1), e.g. `0.9`. */
  serviceLevel: number;
  /** The answer-time target in ms, e.g. `60_000`. A finite number ≥ 0. */
  withinMs: number;
}

/** What {@link requiredAgents} needs. With `patienceMs` it sizes by Erlang A, without by Erlang C. */
export interface StaffingInput {
  /** Consultations arriving per hour. A finite number ≥ 0. */
  arrivalsPerHour: number;
  /** Mean handling time of one consultation in ms, one number or one per concurrency level: see {@link HandleTimes}. */
  handleTimeMs: HandleTimes;
  /** Consultations one agent serves at once. @default 1, or the length of a `handleTimeMs` array */
  concurrency?: number | undefined;
  /** Mean patience of a waiting customer, in ms; omit for customers who never give up (Erlang C). */
  patienceMs?: number | undefined;
  /** The service level to reach. */
  target: StaffingTarget;
}

/** Fields every {@link Staffing} carries, whichever model produced it. */
export interface StaffingBase {
  /** The smallest number of agents that meets the target. */
  agents: number;
  /** `agents × concurrency`: the servers of the queueing model. */
  servers: number;
  /**
   * Offered load in Erlangs: arrivals per hour × handling time in hours. With a handling time per
   * concurrency level, the time at `concurrency` (the pace of a full floor), so that the team
   * keeps up exactly when `servers` exceeds it.
   */
  offeredLoad: number;
}

/**
 * The answer of {@link requiredAgents}: the agent count with its figures, tagged by the model
 * that produced them (`'erlang-a'` when `patienceMs` was given, else `'erlang-c'`).
 */
export type Staffing = (StaffingBase & ErlangCResult & { model: 'erlang-c' }) | (StaffingBase & ErlangAResult & { model: 'erlang-a' });

/**
 * Erlang C (M/M/n): Poisson arrivals, exponential handling, `agents × concurrency` servers, an
 * unbounded queue and customers who never give up (Erlang 1917).
 *
 * With `n` servers and offered load `a = λ·h` Erlangs, the wait probability is
 * `C = B / (1 − ρ(1 − B))` with `B` the Erlang-B blocking probability (computed by its stable
 * recursion) and `ρ = a/n`; the mean wait is `C·h / (n − a)` and the service level
 * `1 − C·e^{−(n − a)·t/h}`.
 *
 * With a handling time per concurrency level ({@link HandleTimes}) the part of the chain below
 * the queue has the floor's own completion rates, and `B` is that chain's chance of sitting at
 * `n` chats; the queue is served by the full floor at `n / h(concurrency)`, so the formulas above
 * hold with `h = h(concurrency)`.
 *
 * @throws {RoutingError} `INVALID_ARGUMENT` for a malformed field or an unknown key; `NO_STEADY_STATE` when the
 * offered load is not below `agents × concurrency` (the queue would grow for ever).
 *
 * @example
 * ```ts
 * // 200 calls an hour of 3 minutes each (10 Erlangs), 11 agents, target 20 s:
 * erlangC({ arrivalsPerHour: 200, handleTimeMs: 180_000, agents: 11, answerWithinMs: 20_000 });
 * // → { waitProbability: 0.682…, meanWaitMs: 122781.…, serviceLevel: 0.389…, occupancy: 0.909… }
 * ```
 */
export function erlangC(input: ErlangCInput): ErlangCResult {
  const record = readObject(input, 'input', ERLANG_C_KEYS);
  const model = readModel(record);
  const answerWithinMs = readNumber(record, 'answerWithinMs', 'a finite number >= 0', (v) => v >= 0);
  checkSteadyState(model);
  return erlangCFigures(model, answerWithinMs);
}

/**
 * Erlang A (M/M/n+M): Erlang C plus exponential patience — a waiting customer leaves after an
 * exponential time with mean `patienceMs` (Palm's model; Garnett, Mandelbaum & Reiman, "Designing a
 * call center with impatient customers", M&SOM 4(3), 2002). Abandonment keeps the queue finite,
 * so every load has a steady state, overload included.
 *
 * The figures are the exact steady state, not an approximation: with abandonment rate
 * `θ = 1/patience`, servers `n`, `b = λ/θ` and `c = nμ/θ`, the sum over queue lengths
 * reduces to `G(c, b) = e^b b^{−c} γ(c, b)` (γ the lower incomplete gamma function), and
 * `P(wait) = AB / (1 + AB)` with `A = b·G(c, b)` and `B` the Erlang-B probability of `n − 1`
 * servers. Abandonment and the service level follow from the density of the offered wait,
 * `λ·exp(λH(x) − nμx)` with `H(x) = (1 − e^{−θx})/θ` (Mandelbaum & Zeltyn, "The M/M/n+G queue:
 * summary of performance measures"; Zeltyn & Mandelbaum, Queueing Systems 51, 2005). See
 * `docs/capacity-planning.md`.
 * With a handling time per concurrency level, `B` comes from the floor's chain as in
 * {@link erlangC}.
 *
 * @throws {RoutingError} `INVALID_ARGUMENT` for a malformed field or an unknown key.
 *
 * @example
 * ```ts
 * const r = erlangA({ arrivalsPerHour: 300, handleTimeMs: 240_000, agents: 7, concurrency: 3, answerWithinMs: 60_000, patienceMs: 120_000 });
 * r.abandonProbability; // share of customers who give up
 * ```
 */
export function erlangA(input: ErlangAInput): ErlangAResult {
  const record = readObject(input, 'input', ERLANG_A_KEYS);
  const model = readModel(record);
  const answerWithinMs = readNumber(record, 'answerWithinMs', 'a finite number >= 0', (v) => v >= 0);
  const patienceMs = readPatience(record, model.handleTimeMs);
  return erlangAFigures(model, answerWithinMs, patienceMs, 'patienceMs');
}

/**
 * The smallest number of agents whose steady state answers `target.serviceLevel` of all arrivals
 * within `target.withinMs` — by Erlang A when `patienceMs` is given, else by Erlang C — together
 * with that staffing's figures. The service level rises with every added agent, so the search
 * gallops up from the offered load and then bisects.
 *
 * @throws {RoutingError} `INVALID_ARGUMENT` for a malformed field or an unknown key, or a target that would need
 * more than ten million servers.
 *
 * @example
 * ```ts
 * const staffing = requiredAgents({
 *   arrivalsPerHour: 300,
 *   handleTimeMs: 240_000,
 *   concurrency: 3,
 *   target: { serviceLevel: 0.9, withinMs: 60_000 },
 * });
 * staffing.agents; // 9
 * ```
 */
export function requiredAgents(input: StaffingInput): Staffing {
  return staffingSearch(input).staffing;
}

/** The figures of one staffing level, tagged by model, as {@link Staffing} carries them. */
type TaggedFigures = (ErlangCResult & { model: 'erlang-c' }) | (ErlangAResult & { model: 'erlang-a' });

/**
 * {@link requiredAgents}, and the figures of any other agent count under the same validated input
 * (the command line's table around the answer). The evaluations share one Erlang-B ladder, so
 * counts near the answer cost O(1,024) each rather than O(servers). Internal.
 */
export function staffingSearch(input: StaffingInput): { staffing: Staffing; figuresFor: (agents: number) => TaggedFigures } {
  const record = readObject(input, 'input', STAFFING_KEYS);
  const arrivalsPerHour = readNumber(record, 'arrivalsPerHour', 'a finite number >= 0', (v) => v >= 0);
  const given = readHandleTimes(record);
  const { concurrency, handleTimeMs, levels } = resolveHandling(given, readConcurrency(record, given));
  const patienceMs = record['patienceMs'] === undefined ? undefined : readPatience(record, handleTimeMs);
  const target = readObject(record['target'], 'target', TARGET_KEYS);
  const serviceLevel = readNumber(target, 'serviceLevel', 'a number in (0, 1)', (v) => v > 0 && v < 1, 'target.serviceLevel');
  const withinMs = readNumber(target, 'withinMs', 'a finite number >= 0', (v) => v >= 0, 'target.withinMs');

  const offeredLoad = (arrivalsPerHour * handleTimeMs) / HOUR_MS;
  // One ladder for the whole search: the counts it tries lie close together.
  const logErlangB = erlangBLadder(offeredLoad);
  const figuresFor = (agents: number): TaggedFigures => {
    const model: Model = { offeredLoad, servers: agents * concurrency, handleTimeMs, agents, concurrency, levels, logErlangB };
    return patienceMs === undefined
      ? { model: 'erlang-c', ...erlangCFigures(model, withinMs) }
      : { model: 'erlang-a', ...erlangAFigures(model, withinMs, patienceMs, 'patienceMs') };
  };
  // Erlang C has a steady state only above the offered load; Erlang A from one agent on.
  const lowest = patienceMs === undefined ? Math.floor(offeredLoad / concurrency) + 1 : 1;
  const meets = (agents: number): boolean => {
    if (agents * concurrency > MAX_SERVERS) {
      throw new RoutingError(
        'INVALID_ARGUMENT',
        `Expected \`arrivalsPerHour\` to be low enough for at most ${MAX_SERVERS} servers (agents × concurrency) to meet the target, got ${format(arrivalsPerHour)} (number): the target needs more`,
        'arrivalsPerHour',
      );
    }
    return figuresFor(agents).serviceLevel >= serviceLevel;
  };

  // Invariant of the search: `unmet` fails the target (or is the sentinel below `lowest`), `met`
  // meets it; the answer lies in (unmet, met]. Start at the offered load, gallop, then bisect.
  let unmet = lowest - 1;
  let met = Math.max(lowest, Math.ceil(offeredLoad / concurrency));
  if (meets(met)) {
    for (let step = 1; met - step >= lowest; step *= 2) {
      if (!meets(met - step)) {
        unmet = met - step;
        break;
      }
      met -= step;
    }
  } else {
    unmet = met;
    let step = 1;
    while (!meets(unmet + step)) {
      unmet += step;
      step *= 2;
    }
    met = unmet + step;
  }
  while (met - unmet > 1) {
    const mid = unmet + Math.floor((met - unmet) / 2);
    if (meets(mid)) met = mid;
    else unmet = mid;
  }

  const base: StaffingBase = { agents: met, servers: met * concurrency, offeredLoad };
  return { staffing: { ...base, ...figuresFor(met) }, figuresFor };
}

/** The validated traffic and staffing shared by both models. */
interface Model {
  /** `a = λ·h` in Erlangs. */
  offeredLoad: number;
  /** `n = agents × concurrency`. */
  servers: number;
  /** The mean handling time, ms; with {@link levels}, the one at `concurrency`. */
  handleTimeMs: number;
  agents: number;
  concurrency: number;
  /** The handling time per concurrency level (`concurrency` of them), or `undefined` for one time at every level. */
  levels: readonly number[] | undefined;
  /** `n ↦ ln B(n, offeredLoad)`, shared by the evaluations of one staffing search. */
  logErlangB: (servers: number) => number;
}

function erlangCFigures(model: Model, answerWithinMs: number): ErlangCResult {
  const { offeredLoad: a, servers: n, handleTimeMs: h } = model;
  if (a === 0) return { waitProbability: 0, meanWaitMs: 0, serviceLevel: 1, occupancy: 0 };
  const rho = a / n;
  const floor = belowQueue(model);
  const blocking = Math.exp(floor === undefined ? model.logErlangB(n) : floor.logBlockingFull);
  // C(n, a) = n·B / (n − a(1 − B)): both terms of the denominator are positive, no cancellation.
  const waitProbability = clamp01(blocking / (1 - rho + rho * blocking));
  // Given a wait, it is exponential with rate (n − a)/h: Wq = C·h/(n − a), P(W > t) = C·e^{−(n−a)t/h}.
  const meanWaitMs = (waitProbability * h) / (n - a);
  const serviceLevel = clamp01(1 - waitProbability * Math.exp((-(n - a) * answerWithinMs) / h));
  return { waitProbability, meanWaitMs, serviceLevel, occupancy: floor === undefined ? clamp01(rho) : occupancyOf(floor, waitProbability, n) };
}

function erlangAFigures(model: Model, answerWithinMs: number, patienceMs: number, patienceField: string): ErlangAResult {
  const { offeredLoad: a, servers: n, handleTimeMs: h } = model;
  if (a === 0) return { waitProbability: 0, meanWaitMs: 0, serviceLevel: 1, occupancy: 0, abandonProbability: 0 };
  // Time in units of the mean handling time: μ = 1, λ = a, θ = r.
  const r = h / patienceMs;
  const t = answerWithinMs / h;
  const b = a / r;
  const c = n / r;
  const logB = Math.log(b);
  try {
    // Normalised by π_{n−1}: P(no wait) ∝ 1/B(n−1, a), P(wait) ∝ A = b·G(c, b).
    const floor = belowQueue(model);
    const logBlocking = floor === undefined ? model.logErlangB(n - 1) : floor.logBlockingBelow;
    const logA = logB + logG(c, b);
    const logWaitOdds = logA + logBlocking;
    const logNorm = softplus(logWaitOdds);
    const waitProbability = Math.exp(logWaitOdds - logNorm);

    // Abandonment ∝ θ·E[queue] = b·(G(c, b) − G(c+1, b)) = 1 + A(1 − c/b). Below capacity the
    // subtraction cancels (A(c/b − 1) → 1 as patience grows), so there the series is summed.
    // Above it, P(ab) = (1 − c/b)·P(wait) + B/(1 + AB): A alone is then huge (its log grows with
    // c), and taking it out of a log difference would lose digits with every power of ten of c.
    const abandonProbability = clamp01(
      b < c + 1 ? Math.exp(logBlocking + logB + logH(c, b) - logNorm) : (1 - c / b) * waitProbability + Math.exp(logBlocking - logNorm),
    );

    // Answered later than t ∝ ∫_t^∞ λ e^{−θx} exp(λH(x) − nμx) dx, which the substitution
    // u = b·e^{−θx} turns into e^{b−y} (y/b)^c · y·G(c+1, y) with y = b·e^{−θt}.
    // y itself is formed directly, not as exp(ln y): G(c+1, ·) is steep (its log moves by about
    // (b − c)·δ for a relative change δ of y), so y must carry only one rounding.
    const y = b * Math.exp(-r * t);
    const logY = logB - r * t;
    const logAfter = logBlocking + (-b * Math.expm1(-r * t) - n * t) + logY + logG(c + 1, y) - logNorm;
    const answeredLate = Math.exp(logAfter);
    // Everyone answered at once is answered in time. Taking the larger keeps the result exact at
    // t = 0 and bounds the rounding of `1 − …` where almost nobody is answered in time.
    const answeredAtOnce = Math.exp(-logNorm);
    const serviceLevel = t === 0 ? answeredAtOnce : clamp01(Math.max(1 - abandonProbability - answeredLate, answeredAtOnce));

    return {
      waitProbability: clamp01(waitProbability),
      // Abandonment rate θ·E[Q] equals λ·P(ab), and Little's law E[Q] = λ·E[W], so E[W] = P(ab)/θ.
      meanWaitMs: abandonProbability * patienceMs,
      serviceLevel,
      abandonProbability,
      // Every server busy while some wait, a·(1 − B(n−1, a)) on average below: the same as the
      // carried load a·(1 − P(ab)) ÷ n, without its cancellation where nearly everyone abandons.
      occupancy: floor === undefined ? clamp01(waitProbability + ((1 - waitProbability) * a * -Math.expm1(logBlocking)) / n) : occupancyOf(floor, waitProbability, n),
    };
  } catch (error) {
    if (!(error instanceof NotConvergedError)) throw error;
    throw expected(
      'INVALID_ARGUMENT',
      patienceField,
      `a patience that keeps the Erlang-A sums under ${MAX_ITERATIONS} terms (patience ÷ handling time × servers is ${format(c)}; use erlangC for customers who never give up)`,
      patienceMs,
    );
  }
}

/**
 * The chain of a floor whose agents slow down as they juggle, below the queue; `undefined` with
 * one handling time. Time is in units of the handling time at the cap, as in the Erlang figures:
 * the arrival rate is then the offered load, and an agent holding `k` chats completes them at
 * `k·h(c)/h(k)`.
 */
function belowQueue(model: Model): FloorBelowQueue | undefined {
  const { levels, handleTimeMs: h, offeredLoad: a } = model;
  if (levels === undefined) return undefined;
  const rates = [0, ...levels.map((hk, i) => ((i + 1) * h) / hk)];
  return floorBelowQueue(model.agents, rates, a);
}

/** Mean chats in service over `n` slots: those below the queue while nobody waits, all `n` while someone does. */
function occupancyOf(floor: FloorBelowQueue, waitProbability: number, n: number): number {
  return clamp01((floor.meanInServiceBelow * (1 - waitProbability) + n * waitProbability) / n);
}

function checkSteadyState(model: Model): void {
  if (model.offeredLoad < model.servers) return;
  const minimum = Math.floor(model.offeredLoad / model.concurrency) + 1;
  const time = model.levels === undefined ? 'handleTimeMs' : 'handleTimeMs[concurrency − 1]';
  throw new RoutingError(
    'NO_STEADY_STATE',
    `Expected \`agents\` to be at least ${minimum} so that agents × concurrency exceeds the offered load of ${format(model.offeredLoad)} Erlangs (arrivalsPerHour × ${time} ÷ 1 h), got ${model.agents} (number): Erlang C has no steady state at or above full load — the queue grows without bound (erlangA models customers who give up)`,
    'agents',
  );
}

function readModel(record: Record<string, unknown>): Model {
  const arrivalsPerHour = readNumber(record, 'arrivalsPerHour', 'a finite number >= 0', (v) => v >= 0);
  const given = readHandleTimes(record);
  const agents = readNumber(record, 'agents', 'an integer >= 1', (v) => Number.isInteger(v) && v >= 1);
  const { concurrency, handleTimeMs, levels } = resolveHandling(given, readConcurrency(record, given));
  const servers = agents * concurrency;
  if (servers > MAX_SERVERS) throw expected('INVALID_ARGUMENT', 'agents', `at most ${MAX_SERVERS} servers (agents × concurrency ${concurrency})`, agents);
  const offeredLoad = (arrivalsPerHour * handleTimeMs) / HOUR_MS;
  return { offeredLoad, servers, handleTimeMs, agents, concurrency, levels, logErlangB: erlangBLadder(offeredLoad) };
}

/** `handleTimeMs` as given: one number, or an array of them (each checked, in order). */
function readHandleTimes(record: Record<string, unknown>): number | readonly number[] {
  const value = record['handleTimeMs'];
  if (!Array.isArray(value)) return readNumber(record, 'handleTimeMs', 'a finite number > 0', (v) => v > 0);
  const list = value as readonly unknown[];
  if (list.length === 0) throw expected('INVALID_ARGUMENT', 'handleTimeMs', 'a finite number > 0, or a non-empty array of them (one per concurrency level)', value);
  for (const [i, v] of list.entries()) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw expected('INVALID_ARGUMENT', `handleTimeMs[${i}]`, 'a finite number > 0', v);
  }
  return list as readonly number[];
}

/** `concurrency`, defaulting to 1, or to the number of levels of a `handleTimeMs` array. */
/** A mean patience > 0 of which the handling time is a finite multiple (the model's abandonment rate). */
function readPatience(record: Record<string, unknown>, handleTimeMs: number): number {
  return readNumber(record, 'patienceMs', `a finite number > 0 of which the handling time (${format(handleTimeMs)} ms) is a finite multiple`, (v) => v > 0 && Number.isFinite(handleTimeMs / v));
}

function readConcurrency(record: Record<string, unknown>, handleTimes: number | readonly number[]): number {
  if (record['concurrency'] === undefined) return typeof handleTimes === 'number' ? 1 : handleTimes.length;
  return readNumber(record, 'concurrency', `an integer in [1, ${MAX_SERVERS}]`, (v) => Number.isInteger(v) && v >= 1 && v <= MAX_SERVERS);
}

/** The handling time of the model (at the cap) and the levels up to the cap; an array must reach the cap. */
function resolveHandling(handleTimes: number | readonly number[], concurrency: number): { concurrency: number; handleTimeMs: number; levels: readonly number[] | undefined } {
  if (typeof handleTimes === 'number') return { concurrency, handleTimeMs: handleTimes, levels: undefined };
  const levels = handleTimes.slice(0, concurrency);
  const atCap = levels[concurrency - 1];
  if (atCap === undefined) throw expected('INVALID_ARGUMENT', 'handleTimeMs', `an array with a handling time for every level up to concurrency (${concurrency})`, handleTimes);
  return { concurrency, handleTimeMs: atCap, levels };
}

/** The keys each input takes: a misspelt `concurency` or `patience` is refused, not read as its default. */
const ERLANG_C_KEYS: ReadonlySet<string> = new Set(['arrivalsPerHour', 'handleTimeMs', 'agents', 'concurrency', 'answerWithinMs']);
const ERLANG_A_KEYS: ReadonlySet<string> = new Set([...ERLANG_C_KEYS, 'patienceMs']);
const STAFFING_KEYS: ReadonlySet<string> = new Set(['arrivalsPerHour', 'handleTimeMs', 'concurrency', 'patienceMs', 'target']);
const TARGET_KEYS: ReadonlySet<string> = new Set(['serviceLevel', 'withinMs']);

function readObject(value: unknown, field: string, keys: ReadonlySet<string>): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw expected('INVALID_ARGUMENT', field, 'an object', value);
  checkKeys(field, value, keys);
  return value as Record<string, unknown>;
}

function readNumber(record: Record<string, unknown>, key: string, what: string, ok: (value: number) => boolean, field = key): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw expected('INVALID_ARGUMENT', field, what, value);
  return value;
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

function format(value: number): string {
  return String(Number(value.toPrecision(6)));
}
