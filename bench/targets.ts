import { Router } from '../src/index.js';
import type { Decision, RouterOptions } from '../src/index.js';
import { BareHeap } from './baselines/bare-heap.js';
import { LinearRouter } from './baselines/linear-router.js';
import { IdHeap } from './baselines/id-heap.js';
import { MapFloor } from './baselines/map-floor.js';
import { TypedRouter } from './baselines/typed-router.js';
import type { TypedDecision } from './baselines/typed-router.js';
import { ObjectRouter } from './baselines/object-router.js';
import type { ObjectDecision } from './baselines/object-router.js';
import type { LinearDecision } from './baselines/linear-router.js';
import { lapStart } from './workload.js';
import type { ReplayTarget, Script } from './workload.js';

function describe(d: Decision | LinearDecision | TypedDecision | ObjectDecision): string {
  const from = 'reroutedFrom' in d && d.reroutedFrom !== undefined ? `<${d.reroutedFrom}` : '';
  return d.kind === 'agent' ? `${d.customerId}>${d.agentId}:${d.reason}${from}` : `${d.customerId}>${d.kind}${from}`;
}

/**
 * fenliu's Router: weighted split, the default busy threshold (4), human-first, the waiting queue.
 * `bench/ablate.ts` passes other options to see what one rule costs.
 */
export class FenliuTarget implements ReplayTarget {
  readonly options: RouterOptions;
  router: Router;
  trace: string[] | undefined;
  /** Keeps results alive so no call can be optimised away. */
  sink: unknown;

  constructor(options: RouterOptions = { splitMode: 'weighted' }) {
    this.options = options;
    this.router = new Router(options);
  }

  setup(s: Script): void {
    this.router = new Router(this.options);
    for (let a = 0; a < s.agents; a++) {
      this.router.upsertAgent({ id: s.agentIds[a] as string, status: 'online', weight: s.weights[a] as number, cap: s.caps[a] as number }, 0);
    }
  }

  replay(s: Script, from: number, to: number, lap: number): void {
    const router = this.router;
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const t0 = lapStart(s, lap);
    for (let i = from; i < to; i++) {
      const at = t0 + i * s.stepMs;
      const d = router.route({ customerId: ids[s.routeCustomer[i] as number] as string, at });
      if (this.trace !== undefined) this.trace.push(describe(d));
      const e = s.endCustomer[i] as number;
      if (e >= 0) this.#record(router.end(ids[e] as string, at));
      router.setPending(s.agentIds[s.pendingAgent[i] as number] as string, s.pendingValue[i] as number);
      const a = s.statusAgent[i] as number;
      if (a >= 0) this.#record(router.setStatus(s.agentIds[a] as string, s.statusOnline[i] === 1 ? 'online' : 'offline', at));
      this.sink = d;
    }
  }

  close(s: Script, lap: number): void {
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const at = lapStart(s, lap) + s.cycles * s.stepMs;
    for (const c of s.closingEnds) this.#record(this.router.end(ids[c] as string, at));
    for (const a of s.closingOnline) this.#record(this.router.setStatus(s.agentIds[a] as string, 'online', at));
  }

  #record(ds: Decision[]): void {
    if (this.trace !== undefined) for (const d of ds) this.trace.push(describe(d));
  }
}

/** The linear-scan router of `baselines/linear-router.ts`. */
export class LinearTarget implements ReplayTarget {
  router = new LinearRouter();
  trace: string[] | undefined;
  sink: unknown;

  setup(s: Script): void {
    this.router = new LinearRouter();
    for (let a = 0; a < s.agents; a++) this.router.addAgent(s.agentIds[a] as string, s.weights[a] as number, s.caps[a] as number, 0);
  }

  replay(s: Script, from: number, to: number, lap: number): void {
    const router = this.router;
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const t0 = lapStart(s, lap);
    for (let i = from; i < to; i++) {
      const at = t0 + i * s.stepMs;
      const d = router.route(ids[s.routeCustomer[i] as number] as string, at);
      if (this.trace !== undefined) this.trace.push(describe(d));
      const e = s.endCustomer[i] as number;
      if (e >= 0) this.#record(router.end(ids[e] as string, at));
      router.setPending(s.agentIds[s.pendingAgent[i] as number] as string, s.pendingValue[i] as number);
      const a = s.statusAgent[i] as number;
      if (a >= 0) this.#record(router.setStatus(s.agentIds[a] as string, s.statusOnline[i] === 1 ? 'online' : 'offline', at));
      this.sink = d;
    }
  }

  close(s: Script, lap: number): void {
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const at = lapStart(s, lap) + s.cycles * s.stepMs;
    for (const c of s.closingEnds) this.#record(this.router.end(ids[c] as string, at));
    for (const a of s.closingOnline) this.#record(this.router.setStatus(s.agentIds[a] as string, 'online', at));
  }

  #record(ds: LinearDecision[]): void {
    if (this.trace !== undefined) for (const d of ds) this.trace.push(describe(d));
  }
}

/** fenliu's decisions with every record in typed arrays (`baselines/typed-router.ts`): what the data-model rewrite would reach. */
export class TypedTarget implements ReplayTarget {
  router = new TypedRouter();
  trace: string[] | undefined;
  sink: unknown;

  setup(s: Script): void {
    this.router = new TypedRouter();
    for (let a = 0; a < s.agents; a++) this.router.addAgent(s.agentIds[a] as string, s.weights[a] as number, s.caps[a] as number, 0);
  }

  replay(s: Script, from: number, to: number, lap: number): void {
    const router = this.router;
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const t0 = lapStart(s, lap);
    for (let i = from; i < to; i++) {
      const at = t0 + i * s.stepMs;
      const d = router.route(ids[s.routeCustomer[i] as number] as string, at);
      if (this.trace !== undefined) this.trace.push(describe(d));
      const e = s.endCustomer[i] as number;
      if (e >= 0) this.#record(router.end(ids[e] as string, at));
      router.setPending(s.agentIds[s.pendingAgent[i] as number] as string, s.pendingValue[i] as number);
      const a = s.statusAgent[i] as number;
      if (a >= 0) this.#record(router.setStatus(s.agentIds[a] as string, s.statusOnline[i] === 1 ? 'online' : 'offline', at));
      this.sink = d;
    }
  }

  close(s: Script, lap: number): void {
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const at = lapStart(s, lap) + s.cycles * s.stepMs;
    for (const c of s.closingEnds) this.#record(this.router.end(ids[c] as string, at));
    for (const a of s.closingOnline) this.#record(this.router.setStatus(s.agentIds[a] as string, 'online', at));
  }

  #record(ds: TypedDecision[]): void {
    if (this.trace !== undefined) for (const d of ds) this.trace.push(describe(d));
  }
}

/** The typed-array router's twin with plain objects (`baselines/object-router.ts`): the same shape, objects instead of typed arrays. */
export class ObjectTarget implements ReplayTarget {
  router = new ObjectRouter();
  trace: string[] | undefined;
  sink: unknown;

  setup(s: Script): void {
    this.router = new ObjectRouter();
    for (let a = 0; a < s.agents; a++) this.router.addAgent(s.agentIds[a] as string, s.weights[a] as number, s.caps[a] as number, 0);
  }

  replay(s: Script, from: number, to: number, lap: number): void {
    const router = this.router;
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const t0 = lapStart(s, lap);
    for (let i = from; i < to; i++) {
      const at = t0 + i * s.stepMs;
      const d = router.route(ids[s.routeCustomer[i] as number] as string, at);
      if (this.trace !== undefined) this.trace.push(describe(d));
      const e = s.endCustomer[i] as number;
      if (e >= 0) this.#record(router.end(ids[e] as string, at));
      router.setPending(s.agentIds[s.pendingAgent[i] as number] as string, s.pendingValue[i] as number);
      const a = s.statusAgent[i] as number;
      if (a >= 0) this.#record(router.setStatus(s.agentIds[a] as string, s.statusOnline[i] === 1 ? 'online' : 'offline', at));
      this.sink = d;
    }
  }

  close(s: Script, lap: number): void {
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const at = lapStart(s, lap) + s.cycles * s.stepMs;
    for (const c of s.closingEnds) this.#record(this.router.end(ids[c] as string, at));
    for (const a of s.closingOnline) this.#record(this.router.setStatus(s.agentIds[a] as string, 'online', at));
  }

  #record(ds: ObjectDecision[]): void {
    if (this.trace !== undefined) for (const d of ds) this.trace.push(describe(d));
  }
}

/** The bare indexed heap of `baselines/bare-heap.ts`: each step reduced to its heap operation. */
export class BareHeapTarget implements ReplayTarget {
  heap = new BareHeap(0, 0);
  trace: string[] | undefined;
  sink = 0;

  setup(s: Script): void {
    this.heap = new BareHeap(s.agents, 2 * s.customersPerLap);
    for (let a = 0; a < s.agents; a++) this.heap.addAgent(a, s.weights[a] as number);
  }

  replay(s: Script, from: number, to: number, lap: number): void {
    const heap = this.heap;
    const base = (lap & 1) * s.customersPerLap;
    let sink = 0;
    for (let i = from; i < to; i++) {
      sink += heap.route(base + (s.routeCustomer[i] as number));
      const e = s.endCustomer[i] as number;
      if (e >= 0) heap.end(base + e);
      heap.setPending(s.pendingAgent[i] as number, s.pendingValue[i] as number);
      const a = s.statusAgent[i] as number;
      if (a >= 0) heap.setOnline(a, s.statusOnline[i] === 1);
    }
    this.sink = sink;
  }

  close(s: Script, lap: number): void {
    const base = (lap & 1) * s.customersPerLap;
    for (const c of s.closingEnds) this.heap.end(base + c);
    for (const a of s.closingOnline) this.heap.setOnline(a, true);
  }
}

/** The string-keyed bookkeeping floor of `baselines/map-floor.ts`: what the API costs before any rule. */
export class MapFloorTarget implements ReplayTarget {
  floor = new MapFloor(1);
  trace: string[] | undefined;
  sink = '';

  setup(s: Script): void {
    // The contact memory's steady size: one entry per customer served within the 72 h window.
    this.floor = new MapFloor(Math.ceil((72 * 3_600_000) / s.stepMs));
    for (const id of s.agentIds) this.floor.addAgent(id);
  }

  replay(s: Script, from: number, to: number, lap: number): void {
    const floor = this.floor;
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const t0 = lapStart(s, lap);
    let sink = '';
    for (let i = from; i < to; i++) {
      sink = floor.route(ids[s.routeCustomer[i] as number] as string, t0 + i * s.stepMs);
      const e = s.endCustomer[i] as number;
      if (e >= 0) floor.end(ids[e] as string);
      floor.setPending(s.agentIds[s.pendingAgent[i] as number] as string, s.pendingValue[i] as number);
    }
    this.sink = sink;
  }

  close(s: Script, lap: number): void {
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    for (const c of s.closingEnds) this.floor.end(ids[c] as string);
  }
}

/** `baselines/id-heap.ts`: the string-id floor and the bare heap joined, the least a heap router with this API does. */
export class IdHeapTarget implements ReplayTarget {
  router = new IdHeap(0, 1);
  trace: string[] | undefined;
  sink = 0;

  setup(s: Script): void {
    // The contact memory's steady size, as the floor's.
    this.router = new IdHeap(s.agents, Math.ceil((72 * 3_600_000) / s.stepMs));
    for (let a = 0; a < s.agents; a++) this.router.addAgent(s.agentIds[a] as string, s.weights[a] as number);
  }

  replay(s: Script, from: number, to: number, lap: number): void {
    const router = this.router;
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const t0 = lapStart(s, lap);
    let sink = 0;
    for (let i = from; i < to; i++) {
      sink += router.route(ids[s.routeCustomer[i] as number] as string, t0 + i * s.stepMs);
      const e = s.endCustomer[i] as number;
      if (e >= 0) router.end(ids[e] as string);
      router.setPending(s.agentIds[s.pendingAgent[i] as number] as string, s.pendingValue[i] as number);
      const a = s.statusAgent[i] as number;
      if (a >= 0) router.setOnline(s.agentIds[a] as string, s.statusOnline[i] === 1);
    }
    this.sink = sink;
  }

  close(s: Script, lap: number): void {
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    for (const c of s.closingEnds) this.router.end(ids[c] as string);
    for (const a of s.closingOnline) this.router.setOnline(s.agentIds[a] as string, true);
  }
}

/**
 * The join with its heap's work at `end`, `setPending` and `setOnline` told its agent by the replay
 * (a holder array, as the bare heap's, and the script's agent numbers) instead of by the lookups,
 * which still run: what the join costs when the heap does not wait on them.
 */
export class IdHeapFedTarget extends IdHeapTarget {
  /** holder[c]: the agent customer c of the current lap is with. */
  holder = new Int32Array(0);

  override setup(s: Script): void {
    super.setup(s);
    this.holder = new Int32Array(s.customersPerLap);
  }

  override replay(s: Script, from: number, to: number, lap: number): void {
    const router = this.router;
    const holder = this.holder;
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    const t0 = lapStart(s, lap);
    let sink = 0;
    for (let i = from; i < to; i++) {
      const c = s.routeCustomer[i] as number;
      const agent = router.route(ids[c] as string, t0 + i * s.stepMs);
      holder[c] = agent;
      sink += agent;
      const e = s.endCustomer[i] as number;
      if (e >= 0) router.endFed(ids[e] as string, holder[e] as number);
      const p = s.pendingAgent[i] as number;
      router.setPendingFed(s.agentIds[p] as string, p, s.pendingValue[i] as number);
      const a = s.statusAgent[i] as number;
      if (a >= 0) router.setOnlineFed(s.agentIds[a] as string, a, s.statusOnline[i] === 1);
    }
    this.sink = sink;
  }

  override close(s: Script, lap: number): void {
    const ids = s.customerIds[(lap & 1) as 0 | 1];
    for (const c of s.closingEnds) this.router.endFed(ids[c] as string, this.holder[c] as number);
    for (const a of s.closingOnline) this.router.setOnlineFed(s.agentIds[a] as string, a, true);
  }
}

export const TARGETS = {
  fenliu: () => new FenliuTarget(),
  linear: () => new LinearTarget(),
  heap: () => new BareHeapTarget(),
  floor: () => new MapFloorTarget(),
  idheap: () => new IdHeapTarget(),
  idfed: () => new IdHeapFedTarget(),
  typed: () => new TypedTarget(),
  object: () => new ObjectTarget(),
} as const;
export type TargetName = keyof typeof TARGETS;
