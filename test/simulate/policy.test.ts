// "Test your routing policy in vitest": the example of docs/simulation.md, as a test file.
import { describe, expect, it } from 'vitest';
import { compare, simulate, type Scenario } from '../../src/simulate/index.js';

const HOUR = 3_600_000;

/** Our shop on a promotion evening: 4 agents, 200 consultations an hour, customers who give up after ~3 minutes. */
const promotion: Scenario = {
  router: { splitMode: 'average', busyThreshold: 4 },
  agents: [
    { id: 'senior', weight: 2, cap: 6, replyTimeMs: { kind: 'lognormal', medianMs: 12_000, sigma: 0.5 } },
    { id: 'junior-1', cap: 5 },
    { id: 'junior-2', cap: 5 },
    { id: 'junior-3', cap: 5 },
  ],
  arrivals: { perHour: 200 },
  customers: { patienceMs: { kind: 'exponential', meanMs: 180_000 } },
  durationMs: 4 * HOUR,
  seed: 20261111,
};

describe('our routing policy for the promotion', () => {
  it('answers at least 80 % within a minute with today\'s team', () => {
    const { summary } = simulate(promotion);
    expect(summary.responseRate1m).toBeGreaterThan(0.8);
    expect(summary.abandonmentRate).toBeLessThan(0.05);
  });

  it('weighted split gives the senior agent (weight 2) a larger share, without hurting response', () => {
    const { runs } = compare(promotion, { weighted: { router: { splitMode: 'weighted' } } });
    const [base, weighted] = runs;
    const share = (id: string) => weighted?.figures.agents.find((a) => a.agentId === id)?.share ?? 0;
    expect(share('senior') / share('junior-1')).toBeGreaterThan(1.4);
    expect(weighted?.figures.responseRate1m ?? 0).toBeGreaterThan((base?.figures.responseRate1m ?? 1) - 0.03);
  });

  it('two temporary agents for the peak cut abandonment', () => {
    const extra = [{ id: 'temp-1', cap: 5 }, { id: 'temp-2', cap: 5 }];
    const { runs } = compare(promotion, { '+2 agents': { agents: [...promotion.agents, ...extra] } });
    const [base, bigger] = runs;
    expect(bigger?.figures.abandonments ?? Infinity).toBeLessThan(base?.figures.abandonments ?? 0);
  });
});
