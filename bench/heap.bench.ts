import { bench, describe } from 'vitest';
import { IndexedHeapRunner, LazyHeapRunner, makeHeapScript } from './heap-workload.js';

// fenliu's IndexedHeap against heap-js with versioned entries and lazy deletion, on the pool's
// operations (heap-workload.ts). One bench call is BATCH steps.
const BATCH = 1_000;

for (const size of [10, 100, 1_000, 10_000, 100_000]) {
  describe(`heap step, ${size} members (${BATCH} steps per op)`, () => {
    const script = makeHeapScript(size);
    const indexed = new IndexedHeapRunner(script);
    const lazy = new LazyHeapRunner(script);
    bench('IndexedHeap', () => indexed.run(BATCH), { time: 500, warmupTime: 100 });
    bench('heap-js, lazy deletion', () => lazy.run(BATCH), { time: 500, warmupTime: 100 });
  });
}
