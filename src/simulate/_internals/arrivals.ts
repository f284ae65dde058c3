import type { RecentContact } from '../../types.js';
import { sample } from '../distributions.js';
import { Prng, STREAMS } from '../prng.js';
import { HOUR_MS, type Mix, type ResolvedScenario } from '../scenario.js';
import { firstAbove } from '../../structures/first-above.js';

/** One arrival, decided before the run starts so that every policy variant sees the same ones. */
export interface Arrival {
  /** Its place in arrival order: it names the consultation's behaviour stream. */
  index: number;
  at: number;
  customerId: string;
  /** `undefined`: the router's default. */
  orderState: string | undefined;
  /** The reception-scope values (接待范围); `undefined`: none. */
  segment: string | undefined;
  product: string | undefined;
  intent: string | undefined;
  priority: number | undefined;
  dedicatedAgentId: string | undefined;
  recentContacts: RecentContact[] | undefined;
  /** Patience in the queue (ms); `Infinity` for a customer who never gives up. */
  patienceMs: number;
  /** `undefined`: 1, the router's default. */
  cost: number | undefined;
}

/** A value of `mix` for the uniform draw `u`: the first whose cumulative share exceeds `u` (a binary search: a mix may name thousands of products). */
function pick(mix: Mix, u: number): string {
  const { values, cumulative } = mix;
  // The last value also when rounding left the final cumulative share a hair under `u`.
  return values[Math.min(firstAbove(cumulative, u), values.length - 1)] as string;
}

/**
 * The scope values of the run's arrivals, each dimension drawn from a stream of its own (see
 * {@link STREAMS}`.scopes`) and only when its mix is given: a scenario without mixes draws nothing
 * here, and its arrivals are what they were before there were mixes. A segment is the customer's:
 * a returning customer keeps the one they had.
 */
class ScopeDraws {
  readonly #s: ResolvedScenario;
  readonly #segments: Prng | undefined;
  readonly #products: Prng | undefined;
  readonly #intents: Prng | undefined;
  /** The segment each customer had, given or drawn. */
  readonly #segmentOf = new Map<string, string>();

  constructor(s: ResolvedScenario) {
    this.#s = s;
    this.#segments = s.segmentMix === undefined ? undefined : Prng.stream(s.seed, STREAMS.scopes, 0);
    this.#products = s.productMix === undefined ? undefined : Prng.stream(s.seed, STREAMS.scopes, 1);
    this.#intents = s.intentMix === undefined ? undefined : Prng.stream(s.seed, STREAMS.scopes, 2);
  }

  segment(customerId: string, given: string | undefined): string | undefined {
    let segment = given ?? this.#segmentOf.get(customerId);
    if (segment === undefined && this.#segments !== undefined) segment = pick(this.#s.segmentMix as Mix, this.#segments.next());
    if (segment !== undefined) this.#segmentOf.set(customerId, segment);
    return segment;
  }

  product(given: string | undefined): string | undefined {
    if (given !== undefined || this.#products === undefined) return given;
    return pick(this.#s.productMix as Mix, this.#products.next());
  }

  intent(given: string | undefined): string | undefined {
    if (given !== undefined || this.#intents === undefined) return given;
    return pick(this.#s.intentMix as Mix, this.#intents.next());
  }
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
  const orderState = (): string | undefined => (s.orderStateMix === undefined ? undefined : pick(s.orderStateMix, rng.next()));
  const scopes = new ScopeDraws(s);
  const patience = (): number => (s.patienceMs === undefined ? Infinity : sample(s.patienceMs, rng));
  // Costs have a stream of their own, opened only with a mix: without one nothing else moves.
  const costRng = s.costMix === undefined ? undefined : Prng.stream(s.seed, STREAMS.costs);
  const cost = (given: number | undefined): number | undefined =>
    given !== undefined || costRng === undefined ? given : Number(pick(s.costMix as Mix, costRng.next()));

  if ('trace' in s.arrivals) {
    s.arrivals.trace.forEach((t, index) => {
      out.push({
        index, at: t.at, customerId: t.customerId, orderState: t.orderState ?? orderState(),
        segment: scopes.segment(t.customerId, t.segment), product: scopes.product(t.product), intent: scopes.intent(t.intent),
        priority: t.priority, dedicatedAgentId: t.dedicatedAgentId,
        recentContacts: t.recentContacts?.map((r) => ({ agentId: r.agentId, at: r.at })),
        patienceMs: t.patienceMs ?? patience(), cost: cost(t.cost),
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
      index: out.length, at: Math.floor(t), customerId, orderState: orderState(),
      segment: scopes.segment(customerId, undefined), product: scopes.product(undefined), intent: scopes.intent(undefined), priority: undefined,
      dedicatedAgentId: undefined, recentContacts: undefined, patienceMs: patience(), cost: cost(undefined),
    });
  }
  return out;
}
