import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { RoutingError } from '../../src/errors.js';
import { simulate, type Scenario } from '../../src/simulate/index.js';

// Known bug: resolveScenario checks only that `recentContacts` is an array; an element that is
// not an object (null, a string) reaches generateArrivals, whose `r.agentId` throws a TypeError.
// simulate() then throws a TypeError instead of RoutingError INVALID_SCENARIO, and the CLI reports
// "internal error" with exit code 1 instead of a scenario error with exit code 2.
// These tests are marked `fails` until the bug is fixed: then they fail, and `.fails` goes.
const scenario = {
  router: {},
  agents: [{ id: 'a' }],
  arrivals: { trace: [{ at: 1_000, customerId: 'c', recentContacts: [null] }] },
  durationMs: 3_600_000,
  seed: 1,
} as unknown as Scenario;

describe('a trace recent contact that is not an object', () => {
  it.fails('is rejected as INVALID_SCENARIO naming the trace arrival', () => {
    let error: unknown;
    try {
      simulate(scenario);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RoutingError);
    expect((error as RoutingError).code).toBe('INVALID_SCENARIO');
    expect((error as RoutingError).field).toMatch(/^scenario\.arrivals\.trace\[0\]/);
  });

  it.fails('makes `fenliu simulate` exit with 2 (bad scenario), not 1 (internal error)', () => {
    let stderr = '';
    const code = main(['simulate', 'shop.json'], { stdout: () => {}, stderr: (t) => { stderr += t; }, stderrIsTTY: false, readFile: () => JSON.stringify(scenario) });
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(2);
  });
});
