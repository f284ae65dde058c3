import { expected, RoutingError } from '../errors.js';
import { logErlangB, logG, logH, MAX_ITERATIONS, NotConvergedError, softplus } from './_internals/special.js';

const HOUR_MS = 3_600_000;
/** Beyond ten million servers the O(n) Erlang-B recursion stops being instant; no shop is that big. */
export const MAX_SERVERS = 10_000_000;

/** What {@link erlangC} needs: the traffic, the staffing and the answer-time target. */
export interface ErlangCInput {
  /** Consultations arriving per hour (Poisson arrivals). A finite number ≥ 0. */
  arrivalsPerHour: number;
  /** Mean handling time of one consultation, in ms (exponentially distributed). A finite number > 0. */
  handleTimeMs: number;
  /** Agents on duty. An integer ≥ 1. */
  agents: number;
  /**
   * Consultations one agent serves at once (接待上限). The model treats the team as
   * `agents × concurrency` independent servers, each with the full `handleTimeMs`.
   * @default 1
   */
  concurrency?: number;
  /** The answer-time target the service level is measured against, in ms. A finite number ≥ 0. */
  answerWithinMs: number;
}

/** The steady-state figures of a staffing level. */
export interface ErlangCResult {
  /** Share of arrivals that find every server busy and have to wait, in [0, 1]. */
  waitProbability: number;
  /** Mean wait before an agent answers, over all arrivals (those answered at once count 0), in ms. */
  meanWaitMs: number;
  /** Share of all arrivals answered within `answerWithinMs`, in [0, 1]. */
  serviceLevel: number;
  /** Mean share of server capacity in use: carried load ÷ (agents × concurrency), in [0, 1]. */
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
  /** Mean handling time of one consultation, in ms. A finite number > 0. */
  handleTimeMs: number;
  /** Consultations one agent serves at once. @default 1 */
  concurrency?: number;
  /** Mean patience of a waiting customer, in ms; omit for customers who never give up (Erlang C). */
  patienceMs?: number;
  /** The service level to reach. */
  target: StaffingTarget;
}

/** Fields every {@link Staffing} carries, whichever model produced it. */
export interface StaffingBase {
  /** The smallest number of agents that meets the target. */
  agents: number;
  /** `agents × concurrency`: the servers of the queueing model. */
  servers: number;
  /** Offered load in Erlangs: arrivals per hour × handling time in hours. */
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
 * @throws {RoutingError} `INVALID_ARGUMENT` for a malformed field; `NO_STEADY_STATE` when the
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
  const record = readObject(input, 'input');
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
 *
 * @throws {RoutingError} `INVALID_ARGUMENT` for a malformed field.
 *
 * @example
 * ```ts
 * const r = erlangA({ arrivalsPerHour: 300, handleTimeMs: 240_000, agents: 7, concurrency: 3, answerWithinMs: 60_000, patienceMs: 120_000 });
 * r.abandonProbability; // share of customers who give up
 * ```
 */
export function erlangA(input: ErlangAInput): ErlangAResult {
  const record = readObject(input, 'input');
  const model = readModel(record);
  const answerWithinMs = readNumber(record, 'answerWithinMs', 'a finite number >= 0', (v) => v >= 0);
  const patienceMs = readNumber(record, 'patienceMs', 'a finite number > 0', (v) => v > 0);
  return erlangAFigures(model, answerWithinMs, patienceMs, 'patienceMs');
}

/**
 * The smallest number of agents whose steady state answers `target.serviceLevel` of all arrivals
 * within `target.withinMs` — by Erlang A when `patienceMs` is given, else by Erlang C — together
 * with that staffing's figures. The service level rises with every added agent, so the search
 * gallops up from the offered load and then bisects.
 *
 * @throws {RoutingError} `INVALID_ARGUMENT` for a malformed field, or a target that would need
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
  const record = readObject(input, 'input');
  const arrivalsPerHour = readNumber(record, 'arrivalsPerHour', 'a finite number >= 0', (v) => v >= 0);
  const handleTimeMs = readNumber(record, 'handleTimeMs', 'a finite number > 0', (v) => v > 0);
  const concurrency = readConcurrency(record);
  const patienceMs = record['patienceMs'] === undefined ? undefined : readNumber(record, 'patienceMs', 'a finite number > 0', (v) => v > 0);
  const target = readObject(record['target'], 'target');
  const serviceLevel = readNumber(target, 'serviceLevel', 'a number in (0, 1)', (v) => v > 0 && v < 1, 'target.serviceLevel');
  const withinMs = readNumber(target, 'withinMs', 'a finite number >= 0', (v) => v >= 0, 'target.withinMs');

  const offeredLoad = (arrivalsPerHour * handleTimeMs) / HOUR_MS;
  const figuresFor = (agents: number): (ErlangCResult & { model: 'erlang-c' }) | (ErlangAResult & { model: 'erlang-a' }) => {
    const model: Model = { offeredLoad, servers: agents * concurrency, handleTimeMs, agents, concurrency };
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
  return { ...base, ...figuresFor(met) };
}

/** The validated traffic and staffing shared by both models. */
interface Model {
  /** `a = λ·h` in Erlangs. */
  offeredLoad: number;
  /** `n = agents × concurrency`. */
  servers: number;
  handleTimeMs: number;
  agents: number;
  concurrency: number;
}

function erlangCFigures(model: Model, answerWithinMs: number): ErlangCResult {
  const { offeredLoad: a, servers: n, handleTimeMs: h } = model;
  if (a === 0) return { waitProbability: 0, meanWaitMs: 0, serviceLevel: 1, occupancy: 0 };
  const rho = a / n;
  const blocking = Math.exp(logErlangB(n, a));
  // C(n, a) = n·B / (n − a(1 − B)): both terms of the denominator are positive, no cancellation.
  const waitProbability = clamp01(blocking / (1 - rho + rho * blocking));
  // Given a wait, it is exponential with rate (n − a)/h: Wq = C·h/(n − a), P(W > t) = C·e^{−(n−a)t/h}.
  const meanWaitMs = (waitProbability * h) / (n - a);
  const serviceLevel = clamp01(1 - waitProbability * Math.exp((-(n - a) * answerWithinMs) / h));
  return { waitProbability, meanWaitMs, serviceLevel, occupancy: clamp01(rho) };
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
    const logBlocking = logErlangB(n - 1, a);
    const logA = logB + logG(c, b);
    const logWaitOdds = logA + logBlocking;
    const logNorm = softplus(logWaitOdds);
    const waitProbability = Math.exp(logWaitOdds - logNorm);

    // Abandonment ∝ θ·E[queue] = b·(G(c, b) − G(c+1, b)) = 1 + A(1 − c/b). Below capacity the
    // subtraction cancels (A(c/b − 1) → 1 as patience grows), so there the series is summed.
    const logAbandon = b < c + 1 ? logB + logH(c, b) : softplus(logA + Math.log1p(-c / b));
    const abandonProbability = clamp01(Math.exp(logBlocking + logAbandon - logNorm));

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
      occupancy: clamp01((a * (1 - abandonProbability)) / n),
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

function checkSteadyState(model: Model): void {
  if (model.offeredLoad < model.servers) return;
  const minimum = Math.floor(model.offeredLoad / model.concurrency) + 1;
  throw new RoutingError(
    'NO_STEADY_STATE',
    `Expected \`agents\` to be at least ${minimum} so that agents × concurrency exceeds the offered load of ${format(model.offeredLoad)} Erlangs (arrivalsPerHour × handleTimeMs ÷ 1 h), got ${model.agents} (number): Erlang C has no steady state at or above full load — the queue grows without bound (erlangA models customers who give up)`,
    'agents',
  );
}

function readModel(record: Record<string, unknown>): Model {
  const arrivalsPerHour = readNumber(record, 'arrivalsPerHour', 'a finite number >= 0', (v) => v >= 0);
  const handleTimeMs = readNumber(record, 'handleTimeMs', 'a finite number > 0', (v) => v > 0);
  const agents = readNumber(record, 'agents', 'an integer >= 1', (v) => Number.isInteger(v) && v >= 1);
  const concurrency = readConcurrency(record);
  const servers = agents * concurrency;
  if (servers > MAX_SERVERS) throw expected('INVALID_ARGUMENT', 'agents', `at most ${MAX_SERVERS} servers (agents × concurrency ${concurrency})`, agents);
  return { offeredLoad: (arrivalsPerHour * handleTimeMs) / HOUR_MS, servers, handleTimeMs, agents, concurrency };
}

function readConcurrency(record: Record<string, unknown>): number {
  if (record['concurrency'] === undefined) return 1;
  return readNumber(record, 'concurrency', 'an integer >= 1', (v) => Number.isInteger(v) && v >= 1);
}

function readObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw expected('INVALID_ARGUMENT', field, 'an object', value);
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
