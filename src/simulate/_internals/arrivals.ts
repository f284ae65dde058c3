import type { RecentContact } from '../../types.js';
import { sample } from '../distributions.js';
import { Prng, STREAMS } from '../prng.js';
import { HOUR_MS, type ResolvedScenario } from '../scenario.js';

/** One arrival, decided before the run starts so that every policy variant sees the same ones. */
export interface Arrival {
  /** Its place in arrival order: it names the consultation's behaviour stream. */
  index: number;
  at: number;
  customerId: string;
  /** `undefined`: the router's default. */
  orderState: string | undefined;
  priority: number | undefined;
  dedicatedAgentId: string | undefined;
  recentContacts: RecentContact[] | undefined;
  /** Patience in the queue (ms); `Infinity` for a customer who never gives up. */
  patienceMs: number;
}

/**
 * Generates every arrival of the run from the arrivals stream alone. Poisson arrivals with a
 * piecewise-constant rate are drawn slot by slot: an exponential gap that would cross into the
 * next hour is dropped and drawing restarts at the boundary with that hour's rate — exact, because
 * the exponential distribution is memoryless.
 */
export function generateArrivals(s: ResolvedScenario): Arrival[] {
  const rng = Prng.stream(s.seed, STREAMS.arrivals);
  const out: Arrival[] = [];
  const orderState = (): string | undefined => {
    const mix = s.orderStateMix;
    if (mix === undefined) return undefined;
    const u = rng.next();
    const { states, cumulative } = mix;
    for (let i = 0; i < states.length; i++) if (u < (cumulative[i] as number)) return states[i];
    return states[states.length - 1];
  };
  const patience = (): number => (s.patienceMs === undefined ? Infinity : sample(s.patienceMs, rng));

  if ('trace' in s.arrivals) {
    s.arrivals.trace.forEach((t, index) => {
      out.push({
        index, at: t.at, customerId: t.customerId, orderState: t.orderState ?? orderState(),
        priority: t.priority, dedicatedAgentId: t.dedicatedAgentId,
        recentContacts: t.recentContacts?.map((r) => ({ agentId: r.agentId, at: r.at })),
        patienceMs: t.patienceMs ?? patience(),
      });
    });
    return out;
  }

  const rates = s.arrivals.perHour;
  let customers = 0;
  let t = 0;
  // `t` runs in fractional ms; an arrival's time is floored to whole ms, as a backend's timestamps are.
  while (t < s.durationMs) {
    const slot = Math.floor(t / HOUR_MS);
    const slotEnd = (slot + 1) * HOUR_MS;
    const perMs = (rates[slot % rates.length] as number) / HOUR_MS;
    if (perMs === 0) {
      t = slotEnd;
      continue;
    }
    const next = t - Math.log(rng.nextOpen()) / perMs;
    if (next >= slotEnd) {
      t = slotEnd;
      continue;
    }
    t = next;
    if (t >= s.durationMs) break;
    let customerId: string;
    if (out.length > 0 && s.returningShare > 0 && rng.next() < s.returningShare) {
      customerId = (out[rng.below(out.length)] as Arrival).customerId;
    } else {
      customerId = `c${++customers}`;
    }
    out.push({
      index: out.length, at: Math.floor(t), customerId, orderState: orderState(), priority: undefined,
      dedicatedAgentId: undefined, recentContacts: undefined, patienceMs: patience(),
    });
  }
  return out;
}
