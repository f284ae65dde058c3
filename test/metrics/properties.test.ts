import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/metrics/index.js';
import type { Figures, MetricsReport } from '../../src/metrics/index.js';
import { arbitraryLog, DAY, DAY0, mergeLogs } from './helpers.js';

const NUM_RUNS = 300;

function everyScope(report: MetricsReport): Figures[] {
  return [report.shop, ...report.agents.values()];
}

function rates(f: Figures): (number | null)[] {
  return [f.replyRate, f.inquiryToNextDayPaymentRate.value, f.inquiryToFinalPaymentRate.value, ...f.responseLadder.map((s) => s.rate)];
}

/** The figures that are plain sums over customers, messages or payments. */
function additive(f: Figures): Record<string, number> {
  return {
    consultations: f.consultations,
    receptions: f.receptions,
    filtered: f.filtered,
    inquiries: f.inquiries.value,
    salesAmount: f.salesAmount,
    unitsSold: f.unitsSold,
    buyers: f.buyers,
    slowResponses: f.slowResponses,
    agentMessages: f.agentMessages,
    customerMessages: f.customerMessages,
    repliedCustomers: f.repliedCustomers,
  };
}

describe('properties of the reception metrics', () => {
  it('consultations = receptions + filtered, for the shop and every agent', () => {
    fc.assert(
      fc.property(arbitraryLog(), (log) => {
        for (const f of everyScope(computeMetrics(log))) expect(f.consultations).toBe(f.receptions + f.filtered);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('every rate is in [0, 1] or null, and null exactly when its denominator is 0', () => {
    fc.assert(
      fc.property(arbitraryLog(), (log) => {
        for (const f of everyScope(computeMetrics(log))) {
          for (const rate of rates(f)) {
            if (rate !== null) {
              expect(rate).toBeGreaterThanOrEqual(0);
              expect(rate).toBeLessThanOrEqual(1);
            }
          }
          expect(f.replyRate === null).toBe(f.receptions === 0);
          expect(f.inquiryToFinalPaymentRate.value === null).toBe(f.inquiries.value === 0);
          expect(f.valuePerBuyer === null).toBe(f.buyers === 0);
          expect(f.answerQuestionRatio === null).toBe(f.customerMessages === 0);
          for (const value of [f.firstResponseTimeMs, f.avgResponseTimeMs, f.avgReceptionDurationMs, f.valuePerBuyer, f.answerQuestionRatio]) {
            if (value !== null) expect(Number.isFinite(value) && value >= 0).toBe(true);
          }
          expect(f.repliedCustomers).toBeLessThanOrEqual(f.receptions);
          expect(f.slowResponses).toBeLessThanOrEqual(f.receptions);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('the response ladder never decreases', () => {
    const ladder = fc.uniqueArray(fc.nat(10 * 60_000), { maxLength: 8 }).map((xs) => [...xs].sort((x, y) => x - y));
    fc.assert(
      fc.property(arbitraryLog(), fc.option(ladder, { nil: undefined }), (log, responseLadderMs) => {
        for (const f of everyScope(computeMetrics(log, { responseLadderMs }))) {
          const steps = f.responseLadder.map((s) => s.rate ?? 0);
          for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1] as number);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("two shops' logs computed apart add up to their union", () => {
    const range = fc.record({ from: fc.integer({ min: 0, max: 3 }), days: fc.integer({ min: 1, max: 4 }) });
    fc.assert(
      fc.property(arbitraryLog(60, 'A:'), arbitraryLog(60, 'B:'), fc.option(range, { nil: undefined }), (a, b, r) => {
        const last = Math.max(a.at(-1)?.at ?? DAY0, b.at(-1)?.at ?? DAY0);
        const options = { asOf: last, ...(r === undefined ? {} : { from: DAY0 + r.from * DAY, to: DAY0 + (r.from + r.days) * DAY }) };
        const ra = computeMetrics(a, options);
        const rb = computeMetrics(b, options);
        const union = computeMetrics(mergeLogs(a, b), options);
        const sa = additive(ra.shop);
        const sb = additive(rb.shop);
        expect(additive(union.shop)).toEqual(Object.fromEntries(Object.entries(sa).map(([k, v]) => [k, v + (sb[k] as number)])));
        // Agent ids are disjoint between the shops, so the union's agents are the two shops' agents.
        expect(union.agents).toEqual(new Map([...ra.agents, ...rb.agents].sort(([x], [y]) => (x < y ? -1 : 1))));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('reads any iterable the same as an array', () => {
    fc.assert(
      fc.property(arbitraryLog(), (log) => {
        function* stream(): Generator<(typeof log)[number]> {
          yield* log;
        }
        expect(computeMetrics(stream())).toEqual(computeMetrics(log));
      }),
      { numRuns: 200 },
    );
  });
});
