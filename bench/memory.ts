import { Session } from 'node:inspector/promises';
import { Router } from '../src/index.js';
import { makeScript, TIME_ORIGIN } from './workload.js';

/**
 * Memory and allocation figures. Needs `node --expose-gc`; run.ts starts it in a child process with
 * `--expose-gc --max-semi-space-size=256 --min-semi-space-size=256`, so that the young generation
 * holds a whole allocation sample without a collection, and prints one JSON object on stdout.
 *
 * Method: heap used after a full GC, before and after building the thing measured, divided by its
 * count. Allocation per cycle: with no collection inside the sample (checked: the sample is thrown
 * away when `heapUsed` drops), (heap used after K cycles − before) / K is what the cycles allocated,
 * garbage and retained alike; after a full GC what is left / K is what they retained.
 * Allocation by function: V8's sampling heap profiler (through `node:inspector`, every 4 bytes on
 * average, objects a collection freed included) over the same steady-state cycles, attributing
 * each sampled allocation to the function that made it.
 *
 * With `--allocation-only` it measures only the allocation per cycle (run.ts runs it so a second
 * time under `--no-turbo-inlining`: which calls V8 inlines changes between processes, and a number
 * passed to a call that is not inlined is boxed, so the route path must allocate nothing else even
 * when nothing is inlined).
 */
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench/memory.ts needs node --expose-gc');
/** The JS heap plus the typed arrays' backing stores, which V8 keeps outside it. */
const inUse = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const used = (): number => {
  gc();
  gc();
  return inUse();
};

function bytesPerAgent(n: number): number {
  const ids = Array.from({ length: n }, (_, i) => `agent-${i}`);
  const before = used();
  const router = new Router({ splitMode: 'weighted' });
  for (let i = 0; i < n; i++) router.upsertAgent({ id: ids[i] as string, status: 'online', weight: 1 + (i % 10), cap: 8 }, 0);
  const after = used();
  if (router.agents.length < 0) throw new Error('unreachable');
  return (after - before) / n;
}

function bytesPerContact(customers: number): { perContact: number; idString: number } {
  const base = used();
  const ids = Array.from({ length: customers }, (_, i) => `buyer-${i}`);
  const idString = (used() - base) / customers;
  const router = new Router({ splitMode: 'weighted' });
  for (let a = 0; a < 10; a++) router.upsertAgent({ id: `agent-${a}`, status: 'online', weight: 1 + a }, 0);
  const before = used();
  for (let i = 0; i < customers; i++) {
    const id = ids[i] as string;
    router.route({ customerId: id, at: i });
    router.end(id, i);
  }
  const after = used();
  // Every customer is still remembered: the last one's contact is within the window of the first.
  const remembered = router.snapshot().contacts.length;
  if (remembered !== customers) throw new Error(`expected ${customers} remembered contacts, got ${remembered}`);
  return { perContact: (after - before) / customers, idString };
}

/** Steady-state route + end cycles (no churn) at `agents` agents, 30 % returning customers. */
async function allocationPerCycle(agents: number, cycles: number): Promise<{ allocated: number; retained: number; byFunction: [string, number][]; decisionObject: number; harness: number; route: number; routeGarbage: number; routeInput: number; end: number }> {
  const script = makeScript(agents, { cycles: 131_072 });
  const router = new Router({ splitMode: 'weighted' });
  for (let a = 0; a < agents; a++) router.upsertAgent({ id: script.agentIds[a] as string, status: 'online', weight: script.weights[a] as number }, 0);
  const ids = script.customerIds[0];
  let i = 0;
  // A declared function, so that the profiler names its frame.
  function measuredCycle(): void {
    const at = TIME_ORIGIN + i * script.stepMs; // the workload's pace: 51,840 customers remembered in the 72 h window
    router.route({ customerId: ids[script.routeCustomer[i] as number] as string, at });
    const e = script.endCustomer[i] as number;
    if (e >= 0) router.end(ids[e] as string, at);
    router.setPending(script.agentIds[script.pendingAgent[i] as number] as string, script.pendingValue[i] as number);
    i++;
  }
  // Warm up past the first 60,000 cycles: the contact memory is full (it forgets as many customers
  // as it learns from then on) and every path is optimised.
  while (i < 60_000) measuredCycle();
  let allocated = Number.NaN;
  let retained = Number.NaN;
  for (let attempt = 0; attempt < 5 && Number.isNaN(allocated); attempt++) {
    const before = used();
    for (let k = 0; k < cycles; k++) measuredCycle();
    const mid = inUse();
    if (mid > before) {
      allocated = (mid - before) / cycles;
      retained = (used() - before) / cycles;
    }
  }
  const byFunction = await allocationByFunction(measuredCycle, cycles);
  // The same cycles split by call: K routes, then the K ends of those routes.
  // Each call's allocation, and what of it is garbage (allocated − still retained after GC): the
  // retained part is the router's state (the consultation's record, its map slots, the contact
  // memory's entry), the garbage part is what the call itself throws away.
  const perCall = (f: (k: number) => void): { allocated: number; garbage: number } => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = used();
      for (let k = 0; k < cycles; k++) f(k);
      const mid = inUse();
      if (mid > before) return { allocated: (mid - before) / cycles, garbage: (mid - used()) / cycles };
    }
    return { allocated: Number.NaN, garbage: Number.NaN };
  };
  const t = TIME_ORIGIN + i * script.stepMs;
  const splitIds = Array.from({ length: cycles }, (_, k) => `split-${k}`);
  const inputs = splitIds.map((customerId) => ({ customerId, at: t }));
  const routed = perCall((k) => router.route(inputs[k] as { customerId: string; at: number }));
  const route = routed.allocated;
  const routeGarbage = routed.garbage;
  // The caller's input objects were made up front, so neither figure counts them; for the record:
  const routeInput = perCall((k) => { (inputs as unknown[])[k] = { customerId: splitIds[k] as string, at: t }; }).allocated;
  const end = perCall((k) => router.end(splitIds[k] as string, t)).allocated;
  // The same loop's own cost: reading the script allocates nothing.
  const b = used();
  let sink = 0;
  for (let k = 0; k < cycles; k++) sink += (ids[script.routeCustomer[k] as number] as string).length + (script.endCustomer[k] as number);
  const harness = (inUse() - b) / cycles;
  // The size of one agent decision of the shape route returns, measured by the same profiler as
  // the router's allocations: its `at` is a fractional number, as the router's time field is a
  // double, so the object carries the same boxed number.
  const keep: unknown[] = new Array(cycles);
  function decisionShaped(k: number): unknown {
    return { kind: 'agent', customerId: ids[k] as string, at: k * 1_000 + 0.5, agentId: 'agent-1', reason: 'split' };
  }
  let k = 0;
  const shaped = await allocationByFunction(() => { keep[k] = decisionShaped(k); k++; }, cycles);
  // Every byte the loop allocates is its decision objects (V8 attributes some of them to the
  // loop's frame once decisionShaped is inlined), so the size is the total, less the profiler's own.
  const decisionObject = shaped.filter(([name]) => name !== 'post').reduce((sum, [, b]) => sum + b, 0);
  if (sink === -1 || keep.length < 0) throw new Error('unreachable');
  return { allocated, retained, byFunction, decisionObject, harness, route, routeGarbage, routeInput, end };
}

/** Bytes per cycle by allocating function (those above 0.5 B), largest first. */
async function allocationByFunction(cycle: () => void, cycles: number): Promise<[string, number][]> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  for (let k = 0; k < cycles; k++) cycle();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const bytes = new Map<string, number>();
  const walk = (node: typeof profile.head): void => {
    if (node.selfSize > 0) {
      const name = node.callFrame.functionName || '(anonymous)';
      bytes.set(name, (bytes.get(name) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  return [...bytes].map(([name, b]): [string, number] => [name, b / cycles]).filter(([, b]) => b > 0.5).sort((a, b) => b[1] - a[1]);
}

const agentsN = 100_000;
const contacts = 1_000_000;
const allocation = async () => ({ agents: 1_000, cycles: 20_000, ...(await allocationPerCycle(1_000, 20_000)) });
const result = process.argv.includes('--allocation-only')
  ? { allocation: await allocation() }
  : {
      agents: agentsN,
      bytesPerAgent: bytesPerAgent(agentsN),
      contacts,
      ...(() => {
        const c = bytesPerContact(contacts);
        return { bytesPerContact: c.perContact, bytesPerCustomerIdString: c.idString };
      })(),
      allocation: await allocation(),
    };
process.stdout.write(`${JSON.stringify(result)}\n`);
