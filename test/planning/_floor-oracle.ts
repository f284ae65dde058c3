/**
 * A brute-force reference for a floor of agents who slow down as they juggle, computed without
 * the library's recursion: the completion rate at every number of chats is found by placing the
 * chats one by one on the least loaded agent and adding up each agent's `k / h(k)`; the chain is
 * summed state by state (the queue truncated where it no longer matters), and the service level
 * comes from the tagged customer's own Markov chain, solved by uniformization. Time is in
 * minutes; without `patience` customers never give up.
 */
export interface FloorReference {
  waitProbability: number;
  abandonProbability: number;
  /** Mean wait over all arrivals, minutes. */
  meanWait: number;
  serviceLevel: number;
  /** Mean chats in service ÷ (agents × cap). */
  occupancy: number;
}

export function bruteForceFloor(o: { agents: number; handle: readonly number[]; perMinute: number; answerWithin: number; patience?: number }): FloorReference {
  const { agents, handle, perMinute: lambda, answerWithin: t } = o;
  const cap = handle.length;
  const theta = o.patience === undefined ? 0 : 1 / o.patience;
  // Completion rate with n chats in service, n = 0 … agents·cap.
  const loads = new Array<number>(agents).fill(0);
  const rate = (): number => loads.reduce((sum, k) => sum + (k === 0 ? 0 : k / (handle[k - 1] as number)), 0);
  const mu: number[] = [0];
  for (let n = 1; n <= agents * cap; n++) {
    const least = loads.indexOf(Math.min(...loads));
    loads[least] = (loads[least] as number) + 1;
    mu.push(rate());
  }
  const full = mu[agents * cap] as number;
  const servers = agents * cap;

  // Unnormalised π: products of λ/μ below the cap, then λ/(full + m·θ) per waiting customer.
  const weights: number[] = [1];
  for (let n = 1; n <= servers; n++) weights.push((weights[n - 1] as number) * (lambda / (mu[n] as number)));
  for (let m = 1; m < 200_000; m++) {
    const next = (weights[servers + m - 1] as number) * (lambda / (full + m * theta));
    weights.push(next);
    if (next < 1e-22 * (weights[servers] as number) && lambda / (full + m * theta) < 0.99) break;
  }
  const total = weights.reduce((s, w) => s + w, 0);
  const pi = weights.map((w) => w / total);
  const maxAhead = pi.length - 1 - servers;

  let waitProbability = 0;
  let queue = 0;
  let inService = 0;
  pi.forEach((p, n) => {
    inService += Math.min(n, servers) * p;
    if (n >= servers) {
      waitProbability += p;
      queue += (n - servers) * p;
    }
  });
  // Without abandonment, Little's law on the queue; with it, θ·E[queue] = λ·P(ab).
  const abandonProbability = (theta * queue) / lambda;

  // Tagged arrival with k ahead: moves up at full + k·θ, gives up at θ. served[k] = P(an agent takes it by t).
  const uniform = full + (maxAhead + 1) * theta + theta;
  let v = new Array<number>(maxAhead + 1).fill(0);
  let served = new Array<number>(maxAhead + 1).fill(0);
  let logWeight = -uniform * t;
  for (let step = 0; step < 2_000_000; step++) {
    const weight = Math.exp(logWeight);
    served = served.map((s, k) => s + weight * (v[k] as number));
    v = v.map((value, k) => {
      const up = full + k * theta;
      const below = k === 0 ? 1 : (v[k - 1] as number);
      return (1 - (up + theta) / uniform) * value + (up / uniform) * below;
    });
    logWeight += Math.log((uniform * t) / (step + 1));
    if (t === 0 || (step > uniform * t + 30 && weight < 1e-20)) break;
  }
  let serviceLevel = 1 - waitProbability;
  for (let k = 0; k <= maxAhead; k++) serviceLevel += (pi[servers + k] as number) * (served[k] as number);
  return { waitProbability, abandonProbability, meanWait: queue / lambda, serviceLevel, occupancy: inService / servers };
}
