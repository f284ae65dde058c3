import { Session } from 'node:inspector/promises';
import { Router } from '../src/index.js';

/**
 * What a steady-state route + end + setPending cycle allocates, printed as one JSON line. Run by
 * `test/allocation.test.ts` and `npm run bench` in a child process:
 * `node --import tsx --expose-gc --max-semi-space-size=256 --min-semi-space-size=256 test/allocation-probe.ts`
 * (the young generation then holds a whole sample without a collection).
 *
 * - `allocated`: bytes per cycle by heap growth over 20,000 cycles with no collection inside
 *   (garbage and retained alike; a sample with a collection inside is thrown away);
 * - `byFunction`: bytes per cycle by allocating function, from V8's sampling heap profiler (every
 *   4 bytes on average) over the same kind of cycles;
 * - `decisionObject`: one object of the shape `route` returns, by the same profiler.
 *
 * The workload: 1,000 agents, 2,000 consultations open, 30 % of customers returning (their last
 * consultation ended 3,000 cycles ago, so the contact memory holds their agent), 5 s a cycle.
 */
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('test/allocation-probe.ts needs node --expose-gc');
const inUse = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const used = (): number => {
  gc();
  gc();
  return inUse();
};

const AGENTS = 1_000;
const OPEN = 2_000;
const CYCLES = 20_000;
const WARM = 60_000;
const total = WARM + 7 * CYCLES;
const agentIds = Array.from({ length: AGENTS }, (_, a) => `agent-${a}`);
const routed: string[] = new Array<string>(total);
for (let i = 0; i < total; i++) routed[i] = i % 10 < 3 && i >= 5_000 ? (routed[i - 5_000] as string) : `buyer-${i}`;
const router = new Router({ splitMode: 'weighted' });
for (let a = 0; a < AGENTS; a++) router.upsertAgent({ id: agentIds[a] as string, status: 'online', weight: 1 + (a % 10) }, 0);
const T0 = Date.UTC(2026, 10, 11);
let i = 0;
// A declared function, so that the profiler names its frame (the caller's, not the router's).
function measuredCycle(): void {
  const at = T0 + i * 5_000;
  router.route({ customerId: routed[i] as string, at });
  if (i >= OPEN) router.end(routed[i - OPEN] as string, at);
  router.setPending(agentIds[(i * 7) % AGENTS] as string, i % 8);
  i++;
}

async function byFunction(cycle: () => void, cycles: number): Promise<[string, number][]> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  for (let k = 0; k < cycles; k++) cycle();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const bytes = new Map<string, number>();
  const walk = (node: typeof profile.head): void => {
    const name = node.callFrame.functionName || '(anonymous)';
    if (node.selfSize > 0) bytes.set(name, (bytes.get(name) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  return [...bytes].map(([name, b]): [string, number] => [name, b / cycles]).filter(([, b]) => b > 0.5).sort((a, b) => b[1] - a[1]);
}

while (i < WARM) measuredCycle();
let allocated = Number.NaN;
for (let attempt = 0; attempt < 5 && Number.isNaN(allocated); attempt++) {
  const before = used();
  for (let k = 0; k < CYCLES; k++) measuredCycle();
  const after = inUse();
  if (after > before) allocated = (after - before) / CYCLES;
}
const sampled = await byFunction(measuredCycle, CYCLES);
// One decision-shaped object per call (its `at` a fractional double, boxed as the router's is),
// warmed up first so that the sample sees optimised code.
const keep: unknown[] = new Array<unknown>(CYCLES);
let k = 0;
function decisionShaped(): void {
  keep[k % CYCLES] = { kind: 'agent', customerId: routed[k] as string, at: k * 1_000 + 0.5, agentId: 'agent-1', reason: 'split' };
  k++;
}
for (let w = 0; w < CYCLES; w++) decisionShaped();
const shaped = await byFunction(decisionShaped, CYCLES);
const decisionObject = shaped.filter(([name]) => name !== 'post').reduce((sum, [, b]) => sum + b, 0);
process.stdout.write(`${JSON.stringify({ agents: AGENTS, cycles: CYCLES, allocated, byFunction: sampled, decisionObject })}\n`);
