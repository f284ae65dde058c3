/**
 * Brute-force reference values for small queues, computed independently of the library's
 * closed forms: the M/M/n+M birth–death chain summed state by state, and the service level from
 * the tagged customer's own Markov chain solved by uniformization. Time is in mean handling
 * times (μ = 1); `a` is the offered load and `r = handle time / patience` the abandonment rate.
 */
export interface Reference {
  waitProbability: number;
  abandonProbability: number;
  meanWait: number;
  serviceLevel: number;
}

export function bruteForceErlangA(n: number, a: number, r: number, t: number): Reference {
  // Unnormalised π_j: a^j/j! up to n, then × a/(n + m·r) per waiting customer.
  const weights: number[] = [1];
  for (let j = 1; j <= n; j++) weights.push((weights[j - 1] ?? 0) * (a / j));
  let m = 0;
  for (;;) {
    m++;
    const next = (weights[n + m - 1] ?? 0) * (a / (n + m * r));
    weights.push(next);
    const total = weights.reduce((s, w) => s + w, 0);
    if ((next < total * 1e-18 && a / (n + m * r) < 0.9) || m > 100_000) break;
  }
  const total = weights.reduce((s, w) => s + w, 0);
  const pi = weights.map((w) => w / total);
  const maxAhead = pi.length - 1 - n;
  let waitProbability = 0;
  let queue = 0;
  for (let k = 0; k <= maxAhead; k++) {
    waitProbability += pi[n + k] ?? 0;
    queue += k * (pi[n + k] ?? 0);
  }
  const abandonProbability = (r * queue) / a;

  // Tagged arrival with k customers ahead: moves up at rate n + k·r (a service ends, or one of
  // the k ahead gives up), gives up itself at rate r. served[k] = P(reaches an agent by t).
  const rate = n + (maxAhead + 1) * r;
  let v = new Array<number>(maxAhead + 1).fill(0);
  let served = new Array<number>(maxAhead + 1).fill(0);
  // Poisson(rate·t) weights, accumulated until the tail is negligible.
  let logWeight = -rate * t;
  for (let step = 0; step < 1_000_000; step++) {
    const weight = Math.exp(logWeight);
    served = served.map((s, k) => s + weight * (v[k] ?? 0));
    const next = v.map((value, k) => {
      const up = n + k * r;
      const below = k === 0 ? 1 : (v[k - 1] ?? 0);
      return (1 - (up + r) / rate) * value + (up / rate) * below;
    });
    v = next;
    logWeight += Math.log((rate * t) / (step + 1));
    if (step > rate * t + 20 && weight < 1e-18) break;
    if (t === 0) break;
  }
  let serviceLevel = 1 - waitProbability;
  for (let k = 0; k <= maxAhead; k++) serviceLevel += (pi[n + k] ?? 0) * (served[k] ?? 0);
  return { waitProbability, abandonProbability, meanWait: queue / a, serviceLevel };
}
