import { describe, expected, RoutingError } from '../errors.js';
import type { Prng } from './prng.js';

/**
 * A duration's distribution, in milliseconds.
 *
 * - `fixed` — always `ms`.
 * - `exponential` — mean `meanMs`; memoryless, as Erlang C and A assume.
 * - `lognormal` — median `medianMs`, log-standard-deviation `sigma`: the usual shape of human
 *   reply and handling times (mean = `medianMs · e^(sigma²/2)`).
 * - `uniform` — between `minMs` and `maxMs`.
 *
 * @example
 * ```ts
 * const handleTimeMs: Distribution = { kind: 'lognormal', medianMs: 240_000, sigma: 0.6 };
 * ```
 */
export type Distribution =
  | { kind: 'fixed'; ms: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'lognormal'; medianMs: number; sigma: number }
  | { kind: 'uniform'; minMs: number; maxMs: number };

const KINDS = "one of 'fixed', 'exponential', 'lognormal', 'uniform'";

/**
 * Checks a distribution given in a scenario and returns a frozen copy.
 *
 * @param field - where it sits in the scenario, for the error message (e.g. `scenario.agents[0].replyTimeMs`).
 * @throws {RoutingError} `INVALID_SCENARIO`.
 */
export function checkDistribution(field: string, value: unknown): Distribution {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw expected('INVALID_SCENARIO', field, "a distribution such as { kind: 'exponential', meanMs: 60000 }", value);
  }
  const d = value as Record<string, unknown>;
  const ms = (key: string, what = 'a finite number >= 0'): number => {
    const v = d[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw expected('INVALID_SCENARIO', `${field}.${key}`, what, v);
    return v;
  };
  switch (d.kind) {
    case 'fixed':
      return Object.freeze({ kind: 'fixed', ms: ms('ms') });
    case 'exponential': {
      const meanMs = ms('meanMs');
      return Object.freeze({ kind: 'exponential', meanMs });
    }
    case 'lognormal': {
      const medianMs = ms('medianMs');
      const sigma = ms('sigma');
      return Object.freeze({ kind: 'lognormal', medianMs, sigma });
    }
    case 'uniform': {
      const minMs = ms('minMs');
      const maxMs = ms('maxMs', `a finite number >= minMs (${minMs})`);
      if (maxMs < minMs) throw new RoutingError('INVALID_SCENARIO', `Expected \`${field}.maxMs\` to be a finite number >= minMs (${minMs}), got ${describe(maxMs)}`, `${field}.maxMs`);
      return Object.freeze({ kind: 'uniform', minMs, maxMs });
    }
    default:
      throw expected('INVALID_SCENARIO', `${field}.kind`, KINDS, d.kind);
  }
}

/**
 * Draws one duration (ms) from a validated distribution. Each kind uses a fixed number of draws
 * from `rng` (0, 1, 2, 1), so a stream's later numbers do not depend on the values drawn.
 */
export function sample(d: Distribution, rng: Prng): number {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'exponential':
      // Inversion: -mean · ln U with U in (0, 1], so the logarithm is finite.
      return -d.meanMs * Math.log(rng.nextOpen());
    case 'lognormal': {
      // Box–Muller's first variate; the second is dropped to keep two draws per sample.
      const z = Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
      // A median of 0 is 0 whatever the spread (0 · e^∞ would be NaN).
      return d.medianMs === 0 ? 0 : d.medianMs * Math.exp(d.sigma * z);
    }
    case 'uniform':
      return d.minMs + (d.maxMs - d.minMs) * rng.next();
  }
}

/** The mean of a distribution (ms): what the queueing formulas take as the handling time. */
export function meanOf(d: Distribution): number {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'exponential':
      return d.meanMs;
    case 'lognormal':
      return d.medianMs * Math.exp((d.sigma * d.sigma) / 2);
    case 'uniform':
      return (d.minMs + d.maxMs) / 2;
  }
}
