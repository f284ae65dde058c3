/**
 * Special functions behind the Erlang formulas, all in log space so that thousands of servers
 * neither overflow (`a^n / n!`) nor underflow (a blocking probability of 1e-400).
 *
 * Sources: the Erlang-B recursion (Erlang 1917; Jagerman, "Some properties of the Erlang loss
 * function", Bell Syst. Tech. J. 53, 1974); Stirling's series and the lower incomplete gamma
 * function by its power series and its continued fraction (Abramowitz & Stegun 6.1.40, 6.5.29,
 * 6.5.31; Press et al., Numerical Recipes, 2nd ed., §6.1–6.2).
 */

/** Relative precision at which a series or continued fraction stops. */
const EPS = 1e-17;
/** Work bound for one series or continued fraction; only reached far outside call-centre scales. */
export const MAX_ITERATIONS = 20_000_000;

/** Thrown when a series or continued fraction would not converge within {@link MAX_ITERATIONS}. */
export class NotConvergedError extends Error {
  constructor() {
    super('series did not converge');
    this.name = 'NotConvergedError';
  }
}

/**
 * `ln B(n, a)`, the Erlang-B blocking probability of `n` servers offered `a` Erlangs.
 *
 * The recursion `B(0) = 1`, `B(k) = a·B(k−1) / (k + a·B(k−1))` is the standard stable way to
 * evaluate Erlang B (every step is a ratio of positive numbers, no cancellation). It is carried
 * in logs because `B` itself underflows for lightly loaded large groups (a = 1, n = 5000).
 */
export function logErlangB(n: number, a: number): number {
  return erlangBLadder(a)(n);
}

/** How many servers apart {@link erlangBLadder} keeps the recursion's values. */
const RUNG = 1024;

/**
 * `n ↦ ln B(n, a)` for one load at many server counts, each value the one {@link logErlangB}
 * gives: the recursion's values are kept every {@link RUNG} servers, so a call walks at most that
 * many steps past a count already reached. A staffing search evaluates some thirty counts near
 * one another; at ten million servers each walked from zero took half a second.
 */
export function erlangBLadder(a: number): (n: number) => number {
  const logA = Math.log(a);
  /** `rungs[i]` is `ln B(i · RUNG, a)`. */
  const rungs = [0];
  return (n) => {
    if (n === 0) return 0;
    if (a === 0) return Number.NEGATIVE_INFINITY;
    const from = Math.min(Math.floor(n / RUNG), rungs.length - 1);
    let logB = rungs[from] as number;
    for (let k = from * RUNG + 1; k <= n; k++) {
      // exp() may underflow to 0 here, which is then exactly the right limit of k + a·B.
      logB = logA + logB - Math.log(k + a * Math.exp(logB));
      if (k % RUNG === 0 && k / RUNG === rungs.length) rungs.push(logB);
    }
    return logB;
  };
}

/**
 * `ln Γ(s)` for `s > 0`: Stirling's series (A&S 6.1.40) after shifting the argument to ≥ 15 with
 * `Γ(s) = Γ(s + 1) / s`, where five terms are accurate to double precision.
 */
export function logGamma(s: number): number {
  let x = s;
  let shift = 0;
  while (x < 15) {
    shift += Math.log(x);
    x += 1;
  }
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + stirlingRemainder(x) - shift;
}

/** `ln Γ(x) − ((x − ½) ln x − x + ½ ln 2π)` for `x ≥ 15` (A&S 6.1.41, five terms). */
function stirlingRemainder(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
}

/** `u − ln(1 + u)` for `u > −1`, without the cancellation of the subtraction near 0. */
function logExcess(u: number): number {
  if (Math.abs(u) >= 0.25) return u - Math.log1p(u);
  // Σ_{k≥2} (−1)^k u^k / k; |u| < 1/4 gives double precision within 30 terms.
  let power = u * u;
  let sum = 0;
  for (let k = 2; k < 32; k++) {
    sum += (k % 2 === 0 ? power : -power) / k;
    power *= u;
  }
  return sum;
}

/**
 * `ln(eˣ x⁻ˢ Γ(s))`. For large `s` the three terms are each of size `s·ln s` while their sum is
 * only `(x − s)²/2s`-ish, so Stirling's formula is folded in first:
 * `= ½ ln(2π/s) + remainder(s) + s·φ((x − s)/s)` with `φ(u) = u − ln(1 + u)`, keeping the
 * rounding relative to the result (large, patient queues depend on it).
 */
function logFullGammaScaled(s: number, x: number): number {
  if (s < 15) return x - s * Math.log(x) + logGamma(s);
  return 0.5 * Math.log((2 * Math.PI) / s) + stirlingRemainder(s) + s * logExcess((x - s) / s);
}

/**
 * `ln G(s, x)` where `G(s, x) = eˣ x⁻ˢ γ(s, x) = Σ_{k≥0} xᵏ / (s (s+1) ⋯ (s+k))`, for `s > 0`,
 * `x ≥ 0` (γ is the lower incomplete gamma function, A&S 6.5.29).
 *
 * `G` is the sum over queue lengths that the Erlang-A formulas reduce to. For `x < s + 1` every
 * term is smaller than the one before and the series is summed directly; otherwise the terms
 * first grow (an overloaded queue) and `γ = Γ − Γ(s, x)` is used, with `Γ(s, x)` from its
 * continued fraction (A&S 6.5.31, evaluated by the modified Lentz method).
 */
export function logG(s: number, x: number): number {
  // `x − s < 1`, not `x < s + 1`: past 2^53, s + 1 === s and the test would send x = s to the
  // continued fraction, which does not hold there (the difference of close doubles is exact).
  if (x - s < 1) {
    // Terms scaled by s so that a tiny s (very short patience) cannot overflow 1/s.
    let term = 1;
    let sum = 1;
    for (let k = 1; ; k++) {
      term *= x / (s + k);
      sum += term;
      const ratio = x / (s + k + 1);
      // Later terms shrink at least geometrically by `ratio`, so the tail is ≤ term·ratio/(1−ratio).
      if (term * ratio <= EPS * sum * (1 - ratio)) break;
      if (k > MAX_ITERATIONS) throw new NotConvergedError();
    }
    return Math.log(sum) - Math.log(s);
  }
  const logFull = logFullGammaScaled(s, x);
  return logFull + Math.log1p(-upperGammaFraction(s, x) * Math.exp(-logFull));
}

/**
 * `ln H(s, x)` where `H(s, x) = G(s, x) − G(s + 1, x) = Σ_{k≥0} (k+1) xᵏ / (s (s+1) ⋯ (s+k+1))`,
 * summed term by term; only for `x < s + 1`, where the subtraction would lose every digit when
 * patience is long (the mean queue length of a nearly patient queue).
 */
export function logH(s: number, x: number): number {
  // Terms scaled by s(s+1).
  let term = 1;
  let sum = 1;
  for (let k = 1; ; k++) {
    term *= ((k + 1) / k) * (x / (s + k + 1));
    sum += term;
    // The term ratio (k+2)/(k+1) · x/(s+k+2) decreases in k, so once below 1 it bounds the tail.
    const ratio = ((k + 2) / (k + 1)) * (x / (s + k + 2));
    if (ratio < 1 && term * ratio <= EPS * sum * (1 - ratio)) break;
    if (k > MAX_ITERATIONS) throw new NotConvergedError();
  }
  return Math.log(sum) - Math.log(s) - Math.log(s + 1);
}

/** `eˣ x⁻ˢ Γ(s, x)` by the continued fraction `1/(x+1−s− 1·(1−s)/(x+3−s− 2·(2−s)/(x+5−s− …)))`. */
function upperGammaFraction(s: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - s;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; ; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= 1e-16) break;
    if (i > MAX_ITERATIONS) throw new NotConvergedError();
  }
  return h;
}

/** `ln(1 + eˣ)` without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
