import { Prng } from './prng.js';

/**
 * The route + end workload, generated ahead of time from a seed so that every implementation
 * replays exactly the same calls and the generator costs nothing inside the timed loops.
 *
 * One lap is `cycles` cycles; a cycle is, in order:
 * - `route` of a customer — 30 % of them returning (a customer whose earlier consultation of this
 *   lap has ended, so the router's contact memory holds its agent), the rest new;
 * - `end` of the oldest open consultation, once `window` consultations are open;
 * - `setPending` of a random agent to a random count in 0..7 (busy above 4: the backend reporting
 *   replies going out and customers writing in);
 * - every 64th cycle, a random online agent goes off line (its open consultations are re-routed),
 *   and once more than `maxOffline` are off, the longest-away one comes back.
 * A lap closes by ending what is open and bringing every agent back, so laps replay back to back.
 * Time advances `stepMs` per cycle; a lap lasts longer than the 72 h sticky window and laps
 * alternate between two tables of customer ids, so a new customer is never a remembered one.
 */
export interface Script {
  readonly agents: number;
  readonly cycles: number;
  readonly stepMs: number;
  /** Open consultations kept in steady state. */
  readonly window: number;
  readonly agentIds: readonly string[];
  readonly weights: Int32Array;
  readonly caps: Int32Array;
  readonly routeCustomer: Int32Array;
  /** -1: no end in this cycle. */
  readonly endCustomer: Int32Array;
  readonly pendingAgent: Int32Array;
  readonly pendingValue: Int32Array;
  /** -1: no status change in this cycle. */
  readonly statusAgent: Int32Array;
  readonly statusOnline: Uint8Array;
  /** Customers still open at the end of a lap, ended at its close. */
  readonly closingEnds: Int32Array;
  /** Agents off line at the end of a lap, brought back at its close. */
  readonly closingOnline: Int32Array;
  /** Customer ids per lap parity; customer `c` of a lap of parity p is `customerIds[p][c]`. */
  readonly customerIds: readonly [readonly string[], readonly string[]];
  readonly customersPerLap: number;
  /** Consultations that were returning customers, for the record. */
  readonly returning: number;
}

export const RETURNING_SHARE = 0.3;

/**
 * When the first lap starts: a real epoch time in ms (11 November 2026, 00:00 UTC), as a backend's
 * clock gives. Times are then fractional-range numbers from the first call, as in production; from
 * 0 they would be small integers for the first laps, a cheaper representation in V8 that changes
 * in the middle of a measurement.
 */
export const TIME_ORIGIN = Date.UTC(2026, 10, 11);

export function lapStart(s: Script, lap: number): number {
  return TIME_ORIGIN + lap * (s.cycles + 1) * s.stepMs;
}

export function makeScript(agents: number, options: { cycles?: number; seed?: number } = {}): Script {
  const cycles = options.cycles ?? 65_536;
  const rng = new Prng(options.seed ?? 0x5eed);
  const stepMs = 5_000;
  const window = Math.min(2 * agents, 2_048);
  const maxOffline = Math.max(1, agents >> 6);
  const agentIds: string[] = [];
  const weights = new Int32Array(agents);
  const caps = new Int32Array(agents);
  for (let a = 0; a < agents; a++) {
    agentIds.push(`agent-${a}`);
    weights[a] = 1 + rng.below(10);
    caps[a] = 3 + rng.below(8);
  }
  const routeCustomer = new Int32Array(cycles);
  const endCustomer = new Int32Array(cycles).fill(-1);
  const pendingAgent = new Int32Array(cycles);
  const pendingValue = new Int32Array(cycles);
  const statusAgent = new Int32Array(cycles).fill(-1);
  const statusOnline = new Uint8Array(cycles);

  const ring = new Int32Array(window + 1);
  let head = 0;
  let tail = 0;
  let openCount = 0;
  const returningPool = new Int32Array(4_096);
  let poolSize = 0;
  const online = new Uint8Array(agents).fill(1);
  const offline: number[] = [];
  let fresh = 0;
  let returning = 0;

  for (let i = 0; i < cycles; i++) {
    let c: number;
    if (poolSize > 0 && rng.below(1000) < RETURNING_SHARE * 1000) {
      const k = rng.below(poolSize);
      c = returningPool[k] as number;
      returningPool[k] = returningPool[--poolSize] as number;
      returning++;
    } else {
      c = fresh++;
    }
    routeCustomer[i] = c;
    ring[tail] = c;
    tail = (tail + 1) % ring.length;
    openCount++;
    if (openCount > window) {
      const e = ring[head] as number;
      head = (head + 1) % ring.length;
      openCount--;
      endCustomer[i] = e;
      if (poolSize < returningPool.length) returningPool[poolSize++] = e;
      else returningPool[rng.below(poolSize)] = e;
    }
    pendingAgent[i] = rng.below(agents);
    pendingValue[i] = rng.below(8);
    if (i % 64 === 63 && agents > 1) {
      if (offline.length >= maxOffline) {
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
          statusOnline[i] = 0;
        }
      }
    }
  }
  const closingEnds: number[] = [];
  while (openCount > 0) {
    closingEnds.push(ring[head] as number);
    head = (head + 1) % ring.length;
    openCount--;
  }
  const customersPerLap = fresh;
  const customerIds: [string[], string[]] = [[], []];
  for (let c = 0; c < customersPerLap; c++) {
    customerIds[0].push(`buyer-a${c}`);
    customerIds[1].push(`buyer-b${c}`);
  }
  return {
    agents, cycles, stepMs, window, agentIds, weights, caps, routeCustomer, endCustomer, pendingAgent, pendingValue,
    statusAgent, statusOnline, closingEnds: Int32Array.from(closingEnds), closingOnline: Int32Array.from(offline),
    customerIds, customersPerLap, returning,
  };
}

/** An implementation under test, with its own replay loop (so each loop's call sites stay monomorphic). */
export interface ReplayTarget {
  /** Adds every agent, on line, at time 0. */
  setup(s: Script): void;
  /** Replays cycles [from, to) of lap `lap`. */
  replay(s: Script, from: number, to: number, lap: number): void;
  /** Closes lap `lap` (ends what is open, brings every agent back). */
  close(s: Script, lap: number): void;
  /** When set, each decision is appended as text (for the equivalence check, never when timing). */
  trace: string[] | undefined;
}

/** Feeds a target its script in batches, lap after lap. */
export class Runner {
  readonly script: Script;
  readonly target: ReplayTarget;
  #cursor = 0;
  #lap = 0;

  constructor(script: Script, target: ReplayTarget) {
    this.script = script;
    this.target = target;
    target.setup(script);
  }

  get cyclesDone(): number {
    return this.#lap * this.script.cycles + this.#cursor;
  }

  /** Runs `n` route + end cycles (with their churn). */
  run(n: number): void {
    const s = this.script;
    while (n > 0) {
      const to = Math.min(s.cycles, this.#cursor + n);
      this.target.replay(s, this.#cursor, to, this.#lap);
      n -= to - this.#cursor;
      this.#cursor = to;
      if (this.#cursor === s.cycles) {
        this.target.close(s, this.#lap);
        this.#lap++;
        this.#cursor = 0;
      }
    }
  }
}
