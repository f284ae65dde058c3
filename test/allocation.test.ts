import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The allocation target as a regression test: in the steady state a route + end + setPending
// cycle allocates, in the router's own functions, only the route's decision. Measured by
// test/allocation-probe.ts in a child process (it needs --expose-gc and a young generation that
// holds the whole sample), also with V8's inlining off, where every number passed to a call is
// boxed: a time passed as an argument anywhere on the route path shows up as 16 more bytes a cycle.
const probe = fileURLToPath(new URL('./allocation-probe.ts', import.meta.url));

interface Allocation {
  allocated: number;
  byFunction: [string, number][];
  decisionObject: number;
}

/**
 * Not the router's: the measuring loop (the caller's input objects), the profiler itself, and the
 * array `end` returns (empty here; the API returns one, and V8 allocates it when `end` is not
 * inlined).
 */
const NOT_THE_ROUTE = new Set(['measuredCycle', 'post', 'end']);

function allocation(v8Flags: string[]): Allocation {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', ...v8Flags, '--expose-gc', '--max-semi-space-size=256', '--min-semi-space-size=256', probe],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop() as string) as Allocation;
}

describe('allocation on the route path', () => {
  it.each([
    ['with V8 inlining nothing', ['--no-turbo-inlining']],
    ['with V8 as it comes', []],
  ])('a cycle allocates only the decision, %s', (_, flags) => {
    const a = allocation(flags);
    const router = a.byFunction.filter(([name]) => !NOT_THE_ROUTE.has(name)).reduce((sum, [, b]) => sum + b, 0);
    // The sampling profiler's own figure for one decision object of the same shape; 10 % for sampling.
    expect(a.decisionObject).toBeGreaterThan(0);
    expect(router).toBeLessThanOrEqual(1.1 * a.decisionObject);
    // And the measurement sees the cycle at all: by heap growth, which no sampling or attribution
    // to inlined frames blurs, a cycle allocates at least its decision. (Where the profiler puts
    // the decision moves with what V8 inlines under load, so the router's share is no lower bound.)
    expect(a.allocated).toBeGreaterThanOrEqual(0.9 * a.decisionObject);
  });
});
