import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { routerBytesPerCycle } from '../bench/stats.js';

// Issue 5's allocation target as a regression test: in the steady state a route + end +
// setPending cycle allocates, in the router's own functions, only the route's decision. Measured by
// bench/memory.ts in a child process (it needs --expose-gc and a young generation that holds the
// whole sample) with V8's inlining off, where every number passed to a call is boxed: a time passed
// as an argument anywhere on the route path shows up as 16 more bytes per cycle.
const memoryScript = fileURLToPath(new URL('../bench/memory.ts', import.meta.url));

interface Allocation {
  byFunction: [string, number][];
  decisionObject: number;
}

function allocation(v8Flags: string[]): Allocation {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', ...v8Flags, '--expose-gc', '--max-semi-space-size=256', '--min-semi-space-size=256', memoryScript, '--allocation-only'],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return (JSON.parse(out.trim().split('\n').pop() as string) as { allocation: Allocation }).allocation;
}

describe('allocation on the route path', () => {
  it.each([
    ['with V8 inlining nothing', ['--no-turbo-inlining']],
    ['with V8 as it comes', []],
  ])('a cycle allocates only the decision, %s', (_, flags) => {
    const a = allocation(flags);
    // The sampling profiler's own figure for one decision object of the same shape; 10 % for sampling.
    expect(a.decisionObject).toBeGreaterThan(0);
    expect(routerBytesPerCycle(a.byFunction)).toBeLessThanOrEqual(1.1 * a.decisionObject);
    // And it does allocate the decision: the measurement sees the router at all.
    expect(routerBytesPerCycle(a.byFunction)).toBeGreaterThanOrEqual(0.9 * a.decisionObject);
  });
});
