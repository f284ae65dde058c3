import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/metrics/index.js';
import type { ConversationEvent } from '../../src/metrics/index.js';
import { at, byTime, DAY0, DAY } from './helpers.js';

// 咨询人数 = 接待人数 + 接待过滤人数, counted once per customer per calendar day (UTC+8).
describe('consultations, receptions, filtered', () => {
  const log = byTime([
    // c1: served by a1, comes back the same afternoon (same customer-day: still one), and again on day 1.
    { type: 'consultation', at: at(0, 9), customerId: 'c1' },
    { type: 'assigned', at: at(0, 9), customerId: 'c1', agentId: 'a1' },
    { type: 'end', at: at(0, 9, 30), customerId: 'c1' },
    // c2: spam, filtered.
    { type: 'consultation', at: at(0, 9, 5), customerId: 'c2', filtered: true },
    { type: 'assigned', at: at(0, 9, 5), customerId: 'c2', agentId: 'a1' },
    { type: 'end', at: at(0, 9, 6), customerId: 'c2' },
    // c3: filtered at first, then a real consultation the same day: a reception after all.
    { type: 'consultation', at: at(0, 9, 10), customerId: 'c3', filtered: true },
    { type: 'assigned', at: at(0, 9, 10), customerId: 'c3', agentId: 'a1' },
    { type: 'end', at: at(0, 9, 11), customerId: 'c3' },
    { type: 'consultation', at: at(0, 9, 20), customerId: 'c3' },
    { type: 'assigned', at: at(0, 9, 20), customerId: 'c3', agentId: 'a2' },
    { type: 'end', at: at(0, 9, 40), customerId: 'c3' },
    // c4: only the robot talks to it: the shop counts it, no agent does.
    { type: 'consultation', at: at(0, 10), customerId: 'c4' },
    { type: 'assigned', at: at(0, 10), customerId: 'c4', robot: true },
    { type: 'end', at: at(0, 10, 5), customerId: 'c4' },
    { type: 'consultation', at: at(0, 15), customerId: 'c1' },
    { type: 'assigned', at: at(0, 15), customerId: 'c1', agentId: 'a1' },
    { type: 'end', at: at(0, 15, 30), customerId: 'c1' },
    { type: 'consultation', at: at(1, 9), customerId: 'c1' },
    { type: 'assigned', at: at(1, 9), customerId: 'c1', agentId: 'a2' },
    { type: 'end', at: at(1, 9, 30), customerId: 'c1' },
  ]);

  it('counts each customer once per day, filtered ones apart', () => {
    const { shop, agents } = computeMetrics(log);
    // Shop: day 0 has c1, c2, c3, c4 (4); day 1 has c1 again (1) → 5 consultations.
    // Filtered: c2 only (c3's second consultation was not filtered) → 1; receptions = 5 − 1 = 4.
    expect(shop).toMatchObject({ consultations: 5, receptions: 4, filtered: 1 });
    // a1 held c1 (day 0), c2, c3 (day 0) → 3 consultations; c2 filtered → 2 receptions.
    expect(agents.get('a1')).toMatchObject({ consultations: 3, receptions: 2, filtered: 1 });
    // a2 held c3 (day 0) and c1 (day 1) → 2, none filtered.
    expect(agents.get('a2')).toMatchObject({ consultations: 2, receptions: 2, filtered: 0 });
    expect([...agents.keys()]).toEqual(['a1', 'a2']);
  });

  it('counts customers whose first consultation of the day falls in [from, to)', () => {
    // Day 0 only: c1, c2, c3, c4 → 4 consultations, 1 filtered, 3 receptions.
    const day0 = computeMetrics(log, { from: DAY0, to: DAY0 + DAY });
    expect(day0.shop).toMatchObject({ consultations: 4, receptions: 3, filtered: 1 });
    // From 09:10 on day 0: c3 (09:10), c4 (10:00), c1 on day 1 (its day-0 record began at 09:00) → 3.
    const later = computeMetrics(log, { from: at(0, 9, 10) });
    expect(later.shop).toMatchObject({ consultations: 3, receptions: 3, filtered: 0 });
  });

  it('uses the shop time zone for calendar days', () => {
    // 23:30 and 00:30 local are two days at UTC+8; at UTC+9 they are 00:30 and 01:30 of one day.
    const twoDays: ConversationEvent[] = [
      { type: 'consultation', at: at(0, 23, 30), customerId: 'c1' },
      { type: 'end', at: at(0, 23, 40), customerId: 'c1' },
      { type: 'consultation', at: at(1, 0, 30), customerId: 'c1' },
      { type: 'end', at: at(1, 0, 40), customerId: 'c1' },
    ];
    expect(computeMetrics(twoDays).shop.consultations).toBe(2);
    expect(computeMetrics(twoDays, { timeZoneOffsetMs: 9 * 3_600_000 }).shop.consultations).toBe(1);
  });

  it('keeps a conversation that runs past midnight on the day it began', () => {
    const log2: ConversationEvent[] = [
      { type: 'consultation', at: at(0, 23, 50), customerId: 'c1' },
      { type: 'assigned', at: at(0, 23, 50), customerId: 'c1', agentId: 'a1' },
      { type: 'customer-message', at: at(1, 0, 5), customerId: 'c1' },
      // A consultation on the still-open conversation continues it: not a second customer.
      { type: 'consultation', at: at(1, 0, 6), customerId: 'c1' },
      { type: 'assigned', at: at(1, 0, 6), customerId: 'c1', agentId: 'a1' },
      { type: 'agent-reply', at: at(1, 0, 7), customerId: 'c1', agentId: 'a1' },
    ];
    // One customer-day (day 0); its one wait ran 00:05 → 00:07 = 120 000 ms.
    const { shop } = computeMetrics(log2);
    expect(shop).toMatchObject({ consultations: 1, receptions: 1, firstResponseTimeMs: 120_000 });
  });

  it('gives null for every ratio of an empty log', () => {
    const { shop, agents, asOf } = computeMetrics([]);
    expect(agents.size).toBe(0);
    expect(asOf).toBe(-Infinity);
    expect(shop).toMatchObject({
      consultations: 0, receptions: 0, filtered: 0, salesAmount: 0, buyers: 0,
      valuePerBuyer: null, unitsPerBuyer: null, answerQuestionRatio: null, replyRate: null,
      firstResponseTimeMs: null, avgResponseTimeMs: null, avgReceptionDurationMs: null,
      inquiries: { value: 0, final: true },
      inquiryToNextDayPaymentRate: { value: null, final: true },
      inquiryToFinalPaymentRate: { value: null, final: true },
    });
    expect(shop.responseLadder.every((step) => step.rate === null)).toBe(true);
  });
});
