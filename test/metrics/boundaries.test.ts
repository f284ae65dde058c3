import { describe, expect, it } from 'vitest';
import { computeMetrics, type ConversationEvent } from '../../src/metrics/index.js';
import { DAY, DAY0, HOUR, MINUTE, SECOND } from './helpers.js';

// The edges of each window and threshold, on both sides, as docs/metrics.md states them.
const c = 'buyer';
const opened = (t: number, agentId = 'a'): ConversationEvent[] => [
  { type: 'consultation', at: t, customerId: c },
  { type: 'assigned', at: t, customerId: c, agentId },
  { type: 'customer-message', at: t, customerId: c },
];
const LATER = { asOf: DAY0 + 30 * DAY };

describe('thresholds: "longer than" excludes the threshold itself', () => {
  it('a gap of exactly maxWaitMs (15 min) is reception time; one a millisecond longer is cut out', () => {
    const gap = (ms: number) => computeMetrics([...opened(DAY0), { type: 'agent-reply', at: DAY0 + ms, customerId: c, agentId: 'a' }]).shop.avgReceptionDurationMs;
    expect(gap(15 * MINUTE)).toBe(15 * MINUTE);
    expect(gap(15 * MINUTE + 1)).toBe(0);
  });

  it('a wait of exactly slowResponseMs (1 min) is not slow, answered or not; a millisecond more is', () => {
    const unanswered = (ms: number) => computeMetrics([...opened(DAY0), { type: 'end', at: DAY0 + ms, customerId: c }]).shop.slowResponses;
    const answered = (ms: number) => computeMetrics([...opened(DAY0), { type: 'agent-reply', at: DAY0 + ms, customerId: c, agentId: 'a' }]).shop.slowResponses;
    expect([unanswered(MINUTE), unanswered(MINUTE + 1)]).toEqual([0, 1]);
    expect([answered(MINUTE), answered(MINUTE + 1)]).toEqual([0, 1]);
  });

  it('a first reply at once (0 ms) is the first response, not the next one', () => {
    const { shop } = computeMetrics([
      ...opened(DAY0),
      { type: 'agent-reply', at: DAY0, customerId: c, agentId: 'a' },
      { type: 'customer-message', at: DAY0 + SECOND, customerId: c },
      { type: 'agent-reply', at: DAY0 + 31 * SECOND, customerId: c, agentId: 'a' },
    ]);
    expect(shop.firstResponseTimeMs).toBe(0);
    expect(shop.avgResponseTimeMs).toBe(15 * SECOND);
  });
});

describe('day windows: the consultation day, the next day, four days after', () => {
  it('an inquiry is an order placed before the end of the next day, not at its last instant + 1', () => {
    const inquiries = (orderAt: number) => computeMetrics([
      { type: 'consultation', at: DAY0, customerId: c }, { type: 'end', at: DAY0 + 1, customerId: c },
      { type: 'order-placed', at: orderAt, customerId: c, orderId: 'o' },
    ], LATER).shop.inquiries.value;
    expect([inquiries(DAY0 + 2 * DAY - 1), inquiries(DAY0 + 2 * DAY)]).toEqual([1, 0]);
  });

  it('a next-day payment is one made before the end of the next day', () => {
    const rate = (paidAt: number) => computeMetrics([
      { type: 'consultation', at: DAY0, customerId: c }, { type: 'order-placed', at: DAY0, customerId: c, orderId: 'o' },
      { type: 'end', at: DAY0 + 1, customerId: c },
      { type: 'order-paid', at: paidAt, customerId: c, orderId: 'o', amount: 10, units: 1 },
    ], LATER).shop.inquiryToNextDayPaymentRate.value;
    expect([rate(DAY0 + 2 * DAY - 1), rate(DAY0 + 2 * DAY)]).toEqual([1, 0]);
  });

  it('a payment by the end of the fourth day after is final and a sale; on the fifth day it is neither', () => {
    const shop = (paidAt: number) => computeMetrics([
      { type: 'consultation', at: DAY0, customerId: c }, { type: 'order-placed', at: DAY0, customerId: c, orderId: 'o' },
      { type: 'order-paid', at: paidAt, customerId: c, orderId: 'o', amount: 10, units: 1 },
    ], LATER).shop;
    for (const [paidAt, counts] of [[DAY0 + 5 * DAY - 1, 1], [DAY0 + 5 * DAY, 0]] as const) {
      const s = shop(paidAt);
      expect([s.inquiryToFinalPaymentRate.value, s.salesAmount, s.buyers]).toEqual([counts, 10 * counts, counts]);
    }
  });
});

describe('the range [from, to)', () => {
  it('holds a consultation and a payment at `from`, not at `to`', () => {
    const range = { from: DAY0 + SECOND, to: DAY0 + 2 * SECOND };
    const consultations = (t: number) => computeMetrics([{ type: 'consultation', at: t, customerId: c }], range).shop.consultations;
    expect([consultations(range.from), consultations(range.to)]).toEqual([1, 0]);
    const sales = (paidAt: number) => computeMetrics([
      { type: 'consultation', at: DAY0, customerId: c }, { type: 'end', at: DAY0 + 1, customerId: c },
      { type: 'order-paid', at: paidAt, customerId: c, orderId: 'o', amount: 10, units: 1 },
    ], { from: DAY0 + MINUTE, to: DAY0 + HOUR }).shop.salesAmount;
    // Sales go by payment time: the consultation before `from` does not matter.
    expect([sales(DAY0 + MINUTE - 1), sales(DAY0 + MINUTE), sales(DAY0 + HOUR - 1), sales(DAY0 + HOUR)]).toEqual([0, 10, 10, 0]);
  });

  it('takes an empty range (from = to): a report of nobody', () => {
    expect(computeMetrics([{ type: 'consultation', at: 5, customerId: c }], { from: 5, to: 5 }).shop.consultations).toBe(0);
  });
});

describe('who counts, and for whom', () => {
  it('a customer-day is filtered only when every consultation of it is: one real one makes a reception', () => {
    const { shop } = computeMetrics([
      { type: 'consultation', at: DAY0, customerId: c },
      { type: 'consultation', at: DAY0 + SECOND, customerId: c, filtered: true },
    ]);
    expect(shop).toMatchObject({ consultations: 1, receptions: 1, filtered: 0 });
  });

  it('a sale goes to the agent who held the customer, not to another agent who replied', () => {
    const { agents } = computeMetrics([
      ...opened(DAY0, 'holder'),
      { type: 'agent-reply', at: DAY0 + SECOND, customerId: c, agentId: 'helper' },
      { type: 'order-paid', at: DAY0 + 2 * SECOND, customerId: c, orderId: 'o', amount: 10, units: 1 },
    ]);
    expect(agents.get('holder')?.salesAmount).toBe(10);
    expect(agents.get('helper')?.salesAmount).toBe(0);
  });

  it('keys agents by id in ascending order, whatever order they appear in', () => {
    const log: ConversationEvent[] = ['zed', 'amy', 'mia'].flatMap((agentId, i) => [
      { type: 'consultation', at: DAY0, customerId: `c${i}` } as const,
      { type: 'assigned', at: DAY0, customerId: `c${i}`, agentId } as const,
    ]);
    expect([...computeMetrics(log).agents.keys()]).toEqual(['amy', 'mia', 'zed']);
  });
});
