/**
 * The floor of chat agents who slow down as they juggle, as one birth–death chain.
 *
 * `N` agents each hold up to `c` chats; an agent holding `k` chats handles each of them in a mean
 * `h(k)` (exponential), so it completes chats at the total rate `r(k) = k / h(k)`. The chats in
 * service are spread evenly: with `n ≤ N·c` chats, `m = n mod N` agents hold `⌊n/N⌋ + 1` and the
 * others `⌊n/N⌋`, so the floor completes chats at `μ(n) = m·r(q + 1) + (N − m)·r(q)`, `q = ⌊n/N⌋`.
 * Beyond `N·c` every agent is at its cap and the rest wait, served at `N·r(c)`. With one handling
 * time at every level, `μ(n) = min(n, N·c)/h` and the chain is Erlang's M/M/(N·c).
 *
 * Below the cap the chain differs from M/M/n only in its death rates, so everything the Erlang
 * formulas need from that part is what the Erlang-B probability gives them: the chance that a
 * chain cut off at a state sits in that state. The queue above `N·c` is Erlang's own, with the
 * full floor's rate `N·r(c) = N·c / h(c)`: in units of `h(c)` it is `N·c` servers.
 */
import { softplus } from './special.js';

/** What the Erlang formulas take from the part of the chain below the queue. */
export interface FloorBelowQueue {
  /** `ln(π(N·c) / Σ_{j ≤ N·c} π(j))`: the chain's stand-in for `ln B(n, a)` (Erlang C). */
  logBlockingFull: number;
  /** `ln(π(N·c − 1) / Σ_{j < N·c} π(j))`: the stand-in for `ln B(n − 1, a)` (Erlang A). */
  logBlockingBelow: number;
  /** Mean chats in service given that nobody waits: `Σ_{j < N·c} j·π(j) / Σ_{j < N·c} π(j)`. */
  meanInServiceBelow: number;
}

/**
 * Walks the chain from state 0 to `N·c`. `rates[k]` is `r(k)` for `k = 0…c` (`rates[0] = 0`) and
 * `arrivalRate` is `λ`, both in one time unit.
 *
 * `x(n) = Σ_{j ≤ n} π(j) / π(n)` obeys `x(0) = 1`, `x(n) = 1 + x(n − 1)·μ(n)/λ` — the Erlang-B
 * recursion `1/B(n) = 1 + (n/a)/B(n − 1)` with `n/a` replaced by `μ(n)/λ` — positive terms only,
 * carried in logs because `x` overflows for lightly loaded large floors. The conditional mean
 * `M(n) = Σ_{j ≤ n} j·π(j) / Σ_{j ≤ n} π(j)` follows as `M(n) = M(n − 1) + (n − M(n − 1))/x(n)`.
 * O(N·c) steps.
 */
export function floorBelowQueue(agents: number, rates: readonly number[], arrivalRate: number): FloorBelowQueue {
  const cap = rates.length - 1;
  const full = agents * cap;
  const logLambda = Math.log(arrivalRate);
  let logX = 0;
  let mean = 0;
  let logBlockingBelow = 0;
  let meanInServiceBelow = 0;
  for (let n = 1; n <= full; n++) {
    if (n === full) {
      logBlockingBelow = -logX;
      meanInServiceBelow = mean;
    }
    const q = Math.floor(n / agents);
    const m = n - q * agents;
    const mu = m * (rates[q + 1] ?? 0) + (agents - m) * (rates[q] ?? 0);
    logX = softplus(logX + Math.log(mu) - logLambda);
    mean += (n - mean) * Math.exp(-logX);
  }
  return { logBlockingFull: -logX, logBlockingBelow, meanInServiceBelow };
}
