import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { RoutingError } from '../../src/errors.js';
import { simulate, type Scenario } from '../../src/simulate/index.js';

// A trace's recent contacts are checked one by one: an element that is not an object (null, a
// string) is a scenario error naming it, not a TypeError deep in the run.
const scenario = {
  router: {},
  agents: [{ id: 'a' }],
  arrivals: { trace: [{ at: 1_000, customerId: 'c', recentContacts: [null] }] },
  durationMs: 3_600_000,
  seed: 1,
} as unknown as Scenario;

describe('a trace recent contact that is not an object', () => {
  it('is rejected as INVALID_SCENARIO naming the trace arrival', () => {
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

  it('makes `fenliu simulate` exit with 2 (bad scenario), not 1 (internal error)', () => {
    let stderr = '';
    const code = main(['simulate', 'shop.json'], { stdout: () => {}, stderr: (t) => { stderr += t; }, stderrIsTTY: false, readFile: () => JSON.stringify(scenario) });
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(2);
  });
});
