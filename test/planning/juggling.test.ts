import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangA, erlangC, requiredAgents } from '../../src/planning/index.js';
import { bruteForceFloor } from './_floor-oracle.js';
import { thrown } from '../helpers.js';

const MINUTE = 60_000;


describe('a handling time per concurrency level: hand-solved chains', () => {
  it('one agent, cap 2, 4 min alone and 6 min with two chats, 15 an hour', () => {
    // Per minute: λ = 1/4; one chat ends at 1/4, two at 2/6 = 1/3, and so does the queue.
    // π ∝ 1, 1, 3/4, then × 3/4 per waiting customer: π(≥ 2) = (3/4)/(1 − 3/4) = 3; total 5.
    const r = erlangC({ arrivalsPerHour: 15, handleTimeMs: [4 * MINUTE, 6 * MINUTE], agents: 1, answerWithinMs: MINUTE });
    expect(r.waitProbability).toBeCloseTo(3 / 5, 12);
    // Given a wait it is exponential at 1/3 − 1/4 = 1/12 per minute.
    expect(r.meanWaitMs).toBeCloseTo((3 / 5) * 12 * MINUTE, 6);
    expect(r.serviceLevel).toBeCloseTo(1 - (3 / 5) * Math.exp(-1 / 12), 12);
    // Chats in service: (1·1 + 2·3)/5 of 2 slots.
    expect(r.occupancy).toBeCloseTo(7 / 10, 12);
  });

  it('two agents, cap 2, the same times, 30 an hour', () => {
    // Completion rates per minute at 1…4 chats: 1/4, 1/2 (one each), 1/4 + 1/3 = 7/12, 2/3.
    // λ = 1/2: π ∝ 1, 2, 2, 12/7, 9/7, then × 3/4 per waiting customer, so π(≥ 4) = 36/7; total 83/7.
    const r = erlangC({ arrivalsPerHour: 30, handleTimeMs: [4 * MINUTE, 6 * MINUTE], agents: 2, answerWithinMs: 30_000 });
    expect(r.waitProbability).toBeCloseTo(36 / 83, 12);
    expect(r.meanWaitMs).toBeCloseTo((36 / 83) * 6 * MINUTE, 6);
    expect(r.serviceLevel).toBeCloseTo(1 - (36 / 83) * Math.exp(-(1 / 6) * 0.5), 12);
    expect(r.occupancy).toBeCloseTo((2 + 2 * 2 + 3 * (12 / 7) + 4 * (36 / 7)) / (83 / 7) / 4, 12);
  });
});

describe('a handling time per concurrency level: against a brute-force chain', () => {
  const cases = [
    { agents: 1, handle: [4, 5, 6.5], perMinute: 0.3, answerWithin: 1 },
    { agents: 3, handle: [4, 5, 6.5], perMinute: 1.2, answerWithin: 0.5 },
    { agents: 5, handle: [3, 4.5], perMinute: 1.9, answerWithin: 1 },
    { agents: 4, handle: [2, 5, 9, 14], perMinute: 0.9, answerWithin: 2 },
    // Faster when juggling (handling falls with the level): unusual, still a valid chain.
    { agents: 3, handle: [6, 5, 4], perMinute: 1.5, answerWithin: 1 },
  ];
  for (const c of cases) {
    const input = { arrivalsPerHour: c.perMinute * 60, handleTimeMs: c.handle.map((h) => h * MINUTE), agents: c.agents, answerWithinMs: c.answerWithin * MINUTE };
    it(`Erlang C: ${c.agents} agents, ${c.handle.join('/')} min, ${c.perMinute}/min`, () => {
      const want = bruteForceFloor(c);
      const got = erlangC(input);
      expect(got.waitProbability).toBeCloseTo(want.waitProbability, 9);
      expect(got.meanWaitMs / MINUTE).toBeCloseTo(want.meanWait, 7);
      expect(got.serviceLevel).toBeCloseTo(want.serviceLevel, 9);
      expect(got.occupancy).toBeCloseTo(want.occupancy, 9);
    });
    it(`Erlang A: ${c.agents} agents, ${c.handle.join('/')} min, ${c.perMinute * 1.4}/min, patience 2 min`, () => {
      const overloaded = { ...c, perMinute: c.perMinute * 1.4, patience: 2 };
      const want = bruteForceFloor(overloaded);
      const got = erlangA({ ...input, arrivalsPerHour: overloaded.perMinute * 60, patienceMs: 2 * MINUTE });
      expect(got.waitProbability).toBeCloseTo(want.waitProbability, 9);
      expect(got.abandonProbability).toBeCloseTo(want.abandonProbability, 9);
      expect(got.meanWaitMs / MINUTE).toBeCloseTo(want.meanWait, 7);
      expect(got.serviceLevel).toBeCloseTo(want.serviceLevel, 9);
      expect(got.occupancy).toBeCloseTo(want.occupancy, 9);
    });
  }
});

describe('a handling time per concurrency level: against the single-time model', () => {
  it('the same time at every level gives the Erlang figures of agents × concurrency servers', () => {
    for (const [agents, concurrency, rate] of [[1, 1, 10], [9, 3, 300], [40, 5, 2_900], [400, 2, 11_000]] as const) {
      const base = { arrivalsPerHour: rate, agents, concurrency, answerWithinMs: 45_000 };
      const levels = new Array<number>(concurrency).fill(4 * MINUTE);
      const pairs = [
        [erlangC({ ...base, handleTimeMs: 4 * MINUTE }), erlangC({ ...base, handleTimeMs: levels })],
        [erlangA({ ...base, handleTimeMs: 4 * MINUTE, patienceMs: 90_000 }), erlangA({ ...base, handleTimeMs: levels, patienceMs: 90_000 })],
      ] as const;
      for (const [one, perLevel] of pairs) {
        for (const key of Object.keys(one) as (keyof typeof one)[]) {
          expect(perLevel[key]).toBeCloseTo(one[key], key === 'meanWaitMs' ? 6 : 12);
        }
      }
    }
  });

  it('levels beyond the concurrency are ignored; without a concurrency the array sets it', () => {
    const base = { arrivalsPerHour: 500, agents: 25, answerWithinMs: 20_000 };
    const three = erlangC({ ...base, handleTimeMs: [4 * MINUTE, 5 * MINUTE, 6.5 * MINUTE] });
    expect(erlangC({ ...base, concurrency: 3, handleTimeMs: [4 * MINUTE, 5 * MINUTE, 6.5 * MINUTE, 9 * MINUTE] })).toEqual(three);
    expect(erlangC({ ...base, concurrency: 3, handleTimeMs: [4 * MINUTE, 5 * MINUTE, 6.5 * MINUTE] })).toEqual(three);
    const two = erlangC({ ...base, concurrency: 2, handleTimeMs: [4 * MINUTE, 5 * MINUTE, 6.5 * MINUTE] });
    expect(two).toEqual(erlangC({ ...base, handleTimeMs: [4 * MINUTE, 5 * MINUTE] }));
    expect(two).not.toEqual(three);
  });

  it('slowing down needs at least the agents of the time alone and at most those of the time at the cap', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 30_000, max: 20 * MINUTE, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 5, max: 3_000, noNaN: true }),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        fc.boolean(),
        (alone, steps, arrivalsPerHour, serviceLevel, patient) => {
          // Non-decreasing times: each level adds a share of the time alone.
          const levels = [alone];
          for (const step of steps) levels.push((levels[levels.length - 1] as number) + step * alone);
          const concurrency = levels.length;
          const target = { serviceLevel, withinMs: 30_000 };
          const patience = patient ? {} : { patienceMs: 2 * MINUTE };
          const atAlone = requiredAgents({ arrivalsPerHour, handleTimeMs: alone, concurrency, target, ...patience });
          const atCap = requiredAgents({ arrivalsPerHour, handleTimeMs: levels[concurrency - 1] as number, concurrency, target, ...patience });
          const slowing = requiredAgents({ arrivalsPerHour, handleTimeMs: levels, target, ...patience });
          expect(slowing.agents).toBeGreaterThanOrEqual(atAlone.agents);
          expect(slowing.agents).toBeLessThanOrEqual(atCap.agents);
          expect(slowing.serviceLevel).toBeGreaterThanOrEqual(serviceLevel);
          // The smallest count: one agent fewer misses the target.
          if (slowing.agents > 1 && (patient ? (slowing.agents - 1) * concurrency > slowing.offeredLoad : true)) {
            const input = { arrivalsPerHour, handleTimeMs: levels, agents: slowing.agents - 1, answerWithinMs: 30_000 };
            const fewer = patient ? erlangC(input) : erlangA({ ...input, patienceMs: 2 * MINUTE });
            expect(fewer.serviceLevel).toBeLessThan(serviceLevel);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('a handling time per concurrency level: bad input', () => {
  const valid = { arrivalsPerHour: 300, agents: 30, answerWithinMs: MINUTE };
  it.each([
    [[], 'handleTimeMs', 'a finite number > 0, or a non-empty array of them (one per concurrency level)', 'an array of 0'],
    [[240_000, 0], 'handleTimeMs[1]', 'a finite number > 0', '0 (number)'],
    [[Number.NaN], 'handleTimeMs[0]', 'a finite number > 0', 'NaN (number)'],
    [[240_000, Number.POSITIVE_INFINITY], 'handleTimeMs[1]', 'a finite number > 0', 'Infinity (number)'],
    [[240_000, '300000'], 'handleTimeMs[1]', 'a finite number > 0', '"300000" (string)'],
    [[-1, 240_000], 'handleTimeMs[0]', 'a finite number > 0', '-1 (number)'],
  ])('rejects handleTimeMs = %j', (handleTimeMs, field, what, got) => {
    for (const run of [
      () => erlangC({ ...valid, handleTimeMs } as never),
      () => erlangA({ ...valid, handleTimeMs, patienceMs: MINUTE } as never),
      () => requiredAgents({ arrivalsPerHour: 300, handleTimeMs, target: { serviceLevel: 0.8, withinMs: 20_000 } } as never),
    ]) {
      const error = thrown(run);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe(field);
      expect(error.message).toBe(`Expected \`${field}\` to be ${what}, got ${got}`);
    }
  });

  it('rejects a concurrency above the levels given', () => {
    const error = thrown(() => erlangC({ ...valid, concurrency: 3, handleTimeMs: [240_000, 300_000] }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'handleTimeMs' });
    expect(error.message).toBe('Expected `handleTimeMs` to be an array with a handling time for every level up to concurrency (3), got an array of 2');
  });

  it('has no Erlang C steady state unless the full floor keeps up at the handling time of the cap', () => {
    // 300/h at 6.5 min with three chats: 32.5 Erlangs over 3 slots an agent, so 11 agents are needed.
    const input = { arrivalsPerHour: 300, handleTimeMs: [4 * MINUTE, 5 * MINUTE, 6.5 * MINUTE], answerWithinMs: MINUTE };
    const error = thrown(() => erlangC({ ...input, agents: 10 }));
    expect(error.code).toBe('NO_STEADY_STATE');
    expect(error.message).toContain('at least 11');
    expect(error.message).toContain('handleTimeMs[concurrency − 1]');
    expect(erlangC({ ...input, agents: 11 }).waitProbability).toBeLessThan(1);
  });
});

describe('docs/capacity-planning.md', () => {
  it('the sample output of `fenliu plan` is what the command prints', async () => {
    const { readFileSync } = await import('node:fs');
    const { main } = await import('../../src/cli/main.js');
    const doc = readFileSync(new URL('../../docs/capacity-planning.md', import.meta.url), 'utf8');
    const sample = /^```\n(Staffing for [\s\S]*?)^```$/m.exec(doc.slice(doc.indexOf('## `fenliu plan`')))?.[1];
    let stdout = '';
    const code = main(['plan', '--arrivals-per-hour', '300', '--handle-time', '4m', '--concurrency', '3', '--target', '90%@60s', '--patience', '2m'], {
      stdout: (t) => { stdout += t; },
      stderr: () => {},
      stderrIsTTY: false,
      readFile: () => { throw new Error('no file is read'); },
      writeFile: () => {},
    });
    expect(code).toBe(0);
    expect(sample).toBeDefined();
    expect(stdout.trimEnd()).toBe(sample?.trimEnd());
  });

  it('the table of how the answer changes shows what requiredAgents answers', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/capacity-planning.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### How the answer changes'), doc.indexOf('### The best cap'));
    const rows = [...section.matchAll(/^\| ([\d,]+) \| (\d+) \| [^|]+ \| \*\*(\d+)\*\* \| ([\d.]+) % \| (\d+) \| (\d+) \|$/gm)];
    expect(rows.length).toBe(5);
    const target = { serviceLevel: 0.8, withinMs: 20_000 };
    for (const [, rate, servers, perLevel, level, atCap, gap] of rows) {
      const arrivalsPerHour = Number(rate?.replace(',', ''));
      const juggling = requiredAgents({ arrivalsPerHour, handleTimeMs: [4 * MINUTE, 5 * MINUTE, 6.5 * MINUTE], target });
      const single = requiredAgents({ arrivalsPerHour, handleTimeMs: 4 * MINUTE, concurrency: 3, target });
      expect(Number(servers)).toBe(single.agents);
      expect(Number(perLevel)).toBe(juggling.agents);
      expect(Number(level)).toBeCloseTo(juggling.serviceLevel * 100, 1);
      expect(Number(atCap)).toBe(requiredAgents({ arrivalsPerHour, handleTimeMs: 6.5 * MINUTE, concurrency: 3, target }).agents);
      expect(Number(gap)).toBe(juggling.agents - single.agents);
    }
  });
});
