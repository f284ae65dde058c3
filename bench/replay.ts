import { Router, type RouterOptions } from '../src/index.js';
import { LinearRouter } from '../test/model/linear-router.js';
import { BareHeap, IdFloor } from './baselines.js';
import { Prng } from '../src/simulate/prng.js';

/**
 * The route + end workload with churn, generated ahead of time from a seed so that every contender
 * replays exactly the same calls and the generator costs nothing inside the timed loops.
 *
 * A lap is `cycles` cycles; a cycle is, in order: `route` of a customer (30 % of them returning: a
 * customer whose consultation of this lap has ended, so the contact memory holds its agent);
 * `end` of the oldest open consultation once `window` are open; `setPending` of a random agent to
 * 0..7 (busy above 4); every 64th cycle a random agent goes off line (its open consultations are
 * re-routed) and, once more than agents/64 are off, the longest-away one comes back. A lap closes by
 * ending what is open and bringing every agent back. Time advances 5 s a cycle, a lap outlasts the
 * 72 h sticky window and laps alternate between two tables of customer ids. Per cycle the script
 * holds the customer routed, the one ended (-1: none), the agent whose pending is set and to what,
 * and the agent going off or on line (-1: none).
 */
export type Script = ReturnType<typeof makeScript>;

const STEP_MS = 5_000;
/** A backend's clock (11 November 2026, 00:00 UTC): fractional-range times, as in production. */
export const TIME_ORIGIN = Date.UTC(2026, 10, 11);

export function makeScript(agents: number, cycles = 65_536, seed = 0x5eed) {
  const rng = Prng.stream(seed, 0);
  const window = Math.min(2 * agents, 2_048);
  const agentIds = Array.from({ length: agents }, (_, a) => `agent-${a}`);
  const weights = Int32Array.from({ length: agents }, () => 1 + rng.below(10));
  const caps = Int32Array.from({ length: agents }, () => 3 + rng.below(8));
  const route = new Int32Array(cycles);
  const end = new Int32Array(cycles).fill(-1);
  const pendingAgent = new Int32Array(cycles);
  const pendingValue = new Int32Array(cycles);
  const statusAgent = new Int32Array(cycles).fill(-1);
  const statusOnline = new Uint8Array(cycles);
  const open: number[] = [];
  const returning: number[] = [];
  const online = new Uint8Array(agents).fill(1);
  const offline: number[] = [];
  let fresh = 0;
  for (let i = 0; i < cycles; i++) {
    let c = fresh;
    if (returning.length > 0 && rng.below(10) < 3) {
      const k = rng.below(returning.length);
      c = returning[k] as number;
      returning[k] = returning[returning.length - 1] as number;
      returning.pop();
    } else fresh++;
    route[i] = c;
    open.push(c);
    if (open.length > window) {
      const e = open.shift() as number;
      end[i] = e;
      if (returning.length < 4_096) returning.push(e);
      else returning[rng.below(returning.length)] = e;
    }
    pendingAgent[i] = rng.below(agents);
    pendingValue[i] = rng.below(8);
    if (i % 64 === 63 && agents > 1) {
      if (offline.length >= Math.max(1, agents >> 6)) {
        const back = offline.shift() as number;
        online[back] = 1;
        statusAgent[i] = back;
        statusOnline[i] = 1;
      } else {
        const a = rng.below(agents);
        if (online[a] === 1) {
          online[a] = 0;
          offline.push(a);
          statusAgent[i] = a;
        }
      }
    }
  }
  const ids = (prefix: string): string[] => Array.from({ length: fresh }, (_, c) => `buyer-${prefix}${c}`);
  return {
    agents, cycles, agentIds, weights, caps, route, end, pendingAgent, pendingValue, statusAgent, statusOnline,
    closingEnds: Int32Array.from(open), closingOnline: Int32Array.from(offline), customerIds: [ids('a'), ids('b')] as const, customersPerLap: fresh,
  };
}

/**
 * A contender, called with both forms of every id: the routers use the strings, the bare heap the
 * dense numbers (a customer's number is unique across the two tables of ids).
 */
export interface Contender {
  route(customer: number, customerId: string, at: number): unknown;
  end(customer: number, customerId: string, at: number): unknown;
  setPending(agent: number, agentId: string, pending: number): void;
  setStatus(agent: number, agentId: string, online: boolean, at: number): unknown;
}

function fenliu(s: Script, options: RouterOptions): Contender {
  const r = new Router({ splitMode: 'weighted', ...options });
  s.agentIds.forEach((id, a) => r.upsertAgent({ id, status: 'online', weight: s.weights[a] as number, cap: s.caps[a] as number }, 0));
  return {
    route: (_, customerId, at) => r.route({ customerId, at }), end: (_, id, at) => r.end(id, at),
    setPending: (_, id, pending) => r.setPending(id, pending), setStatus: (_, id, online, at) => r.setStatus(id, online ? 'online' : 'offline', at),
  };
}

export const CONTENDERS = {
  fenliu: (s: Script): Contender => fenliu(s, {}),
  // The same with an answer timeout: every assignment sets a deadline and every end cancels it.
  'fenliu, answer timeout': (s: Script): Contender => fenliu(s, { answerTimeoutMs: 60_000 }),
  'string-id floor'(s: Script): Contender {
    const floor = new IdFloor(s.agents);
    s.agentIds.forEach((id, a) => floor.addAgent(id, s.weights[a] as number));
    return {
      route: (_, id) => floor.route(id), end: (_, id) => floor.end(id),
      setPending: (_, id, pending) => floor.setPending(id, pending), setStatus: (_, id, online) => floor.setOnline(id, online),
    };
  },
  'linear scan'(s: Script): Contender {
    const r = new LinearRouter();
    s.agentIds.forEach((id, a) => r.addAgent(id, s.weights[a] as number, s.caps[a] as number, 0));
    return {
      route: (_, id, at) => r.route(id, at), end: (_, id, at) => r.end(id, at),
      setPending: (_, id, pending) => r.setPending(id, pending), setStatus: (_, id, online, at) => r.setStatus(id, online ? 'online' : 'offline', at),
    };
  },
  'bare heap'(s: Script): Contender {
    const heap = new BareHeap(s.agents);
    s.weights.forEach((w, a) => heap.addAgent(a, w));
    const holder = new Int32Array(2 * s.customersPerLap).fill(-1);
    return {
      route: (c) => (holder[c] = heap.take()), end: (c) => heap.release(holder[c] as number),
      setPending: (a, _, pending) => heap.setPending(a, pending), setStatus: (a, _, online) => heap.setOnline(a, online),
    };
  },
} as const satisfies Record<string, (s: Script) => Contender>;
export type ContenderName = keyof typeof CONTENDERS;

/** Feeds a contender its script in batches, lap after lap: the one replay loop of the bench. */
export class Replay {
  readonly #s: Script;
  readonly #c: Contender;
  #cursor = 0;
  #lap = 0;
  sink: unknown;

  constructor(s: Script, c: Contender) {
    this.#s = s;
    this.#c = c;
  }

  get cyclesDone(): number {
    return this.#lap * this.#s.cycles + this.#cursor;
  }

  run(n: number): void {
    const s = this.#s;
    const c = this.#c;
    while (n > 0) {
      const parity = this.#lap & 1;
      const ids = s.customerIds[parity as 0 | 1];
      const base = parity * s.customersPerLap;
      const t0 = TIME_ORIGIN + this.#lap * (s.cycles + 1) * STEP_MS;
      const to = Math.min(s.cycles, this.#cursor + n);
      for (let i = this.#cursor; i < to; i++) {
        const at = t0 + i * STEP_MS;
        const r = s.route[i] as number;
        this.sink = c.route(base + r, ids[r] as string, at);
        const e = s.end[i] as number;
        if (e >= 0) c.end(base + e, ids[e] as string, at);
        const p = s.pendingAgent[i] as number;
        c.setPending(p, s.agentIds[p] as string, s.pendingValue[i] as number);
        const a = s.statusAgent[i] as number;
        if (a >= 0) c.setStatus(a, s.agentIds[a] as string, s.statusOnline[i] === 1, at);
      }
      n -= to - this.#cursor;
      this.#cursor = to;
      if (to === s.cycles) {
        const at = t0 + s.cycles * STEP_MS;
        for (const e of s.closingEnds) c.end(base + e, ids[e] as string, at);
        for (const a of s.closingOnline) c.setStatus(a, s.agentIds[a] as string, true, at);
        this.#lap++;
        this.#cursor = 0;
      }
    }
  }

  /** Brings the replay into steady state (the contact memory full at its 72 h window): 60,000 cycles or 2 s. */
  settle(): this {
    const t0 = performance.now();
    while (this.cyclesDone < 60_000 && performance.now() - t0 < 2_000) this.run(256);
    return this;
  }
}
