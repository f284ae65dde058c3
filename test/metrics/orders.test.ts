import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/metrics/index.js';
import type { ConversationEvent } from '../../src/metrics/index.js';
import { at, byTime, DAY0, DAY } from './helpers.js';

function chat(customerId: string, start: number, agentId: string): ConversationEvent[] {
  return [
    { type: 'consultation', at: start, customerId },
    { type: 'assigned', at: start, customerId, agentId },
    { type: 'end', at: start + 60_000, customerId },
  ];
}

// 询单人数, 询单→次日付款成功率, 询单→最终付款成功率, 销售额/量/人数, 客单价, 客件数.
describe('inquiries and payments', () => {
  const log = byTime([
    // c1: consults 10:00 day 0, orders 10:30, pays 10:40 → inquiry, paid same day, paid finally.
    ...chat('c1', at(0, 10), 'a1'),
    { type: 'order-placed', at: at(0, 10, 30), customerId: 'c1', orderId: 'o1' },
    { type: 'order-paid', at: at(0, 10, 40), customerId: 'c1', orderId: 'o1', amount: 100, units: 2 },
    // c2: consults day 0, orders on day 1 (next day: still an inquiry), pays on day 3 (final, not next-day).
    ...chat('c2', at(0, 11), 'a1'),
    { type: 'order-placed', at: at(1, 20), customerId: 'c2', orderId: 'o2' },
    { type: 'order-paid', at: at(3, 9), customerId: 'c2', orderId: 'o2', amount: 80, units: 1 },
    // c3: consults day 0, orders on day 2 → too late to be an inquiry.
    ...chat('c3', at(0, 12), 'a2'),
    { type: 'order-placed', at: at(2, 8), customerId: 'c3', orderId: 'o3' },
    { type: 'order-paid', at: at(2, 8, 10), customerId: 'c3', orderId: 'o3', amount: 40, units: 1 },
    // c4: consults, never orders.
    ...chat('c4', at(0, 13), 'a2'),
    // c5: ordered before consulting (08:00), consults 14:00 (催付), pays 14:30 → not an inquiry, but a sale through service.
    { type: 'order-placed', at: at(0, 8), customerId: 'c5', orderId: 'o5' },
    ...chat('c5', at(0, 14), 'a2'),
    { type: 'order-paid', at: at(0, 14, 30), customerId: 'c5', orderId: 'o5', amount: 50, units: 1 },
  ]);
  const day0 = { from: DAY0, to: DAY0 + DAY };

  it('counts inquiries and conversion once settled', () => {
    const { shop, agents } = computeMetrics(log, { ...day0, asOf: at(5, 0) });
    // Inquiries: c1 (ordered day 0), c2 (ordered day 1) → 2; c3 ordered day 2, c5 ordered before consulting.
    expect(shop.inquiries).toEqual({ value: 2, final: true });
    // Paid the same or next day among inquiries: c1 only → 1 / 2.
    expect(shop.inquiryToNextDayPaymentRate).toEqual({ value: 0.5, final: true });
    // Paid by the end of day 4 among inquiries: c1 and c2 → 2 / 2.
    expect(shop.inquiryToFinalPaymentRate).toEqual({ value: 1, final: true });
    // a1 served c1 and c2 → both inquiries; a2 served c3, c4, c5 → none.
    expect(agents.get('a1')?.inquiries.value).toBe(2);
    expect(agents.get('a2')?.inquiries.value).toBe(0);
    expect(agents.get('a2')?.inquiryToNextDayPaymentRate.value).toBeNull();
  });

  it('a payment after a filtered day goes to the latest day that was service, within its window', () => {
    const paid = byTime([
      // c1: served on day 0 by a1, an auto-reply-only (filtered) consultation on day 1, pays on day 2.
      ...chat('c1', at(0, 10), 'a1'),
      { type: 'consultation', at: at(1, 10), customerId: 'c1', filtered: true },
      { type: 'end', at: at(1, 10, 1), customerId: 'c1' },
      { type: 'order-paid', at: at(2, 9), customerId: 'c1', orderId: 'o1', amount: 100, units: 1 },
      // c2: served on day 0, filtered on day 4, pays on day 5: day 0's window (days 0-4) has closed.
      ...chat('c2', at(0, 11), 'a1'),
      { type: 'consultation', at: at(4, 10), customerId: 'c2', filtered: true },
      { type: 'end', at: at(4, 10, 1), customerId: 'c2' },
      { type: 'order-paid', at: at(5, 9), customerId: 'c2', orderId: 'o2', amount: 70, units: 1 },
    ]);
    const { shop, agents } = computeMetrics(paid, {});
    expect(shop).toMatchObject({ salesAmount: 100, unitsSold: 1, buyers: 1, filtered: 2 });
    expect(agents.get('a1')).toMatchObject({ salesAmount: 100, buyers: 1 });
  });

  it('counts sales paid in the range, through service', () => {
    const { shop, agents } = computeMetrics(log, day0);
    // Paid on day 0: c1 100 (2 units), c5 50 (1 unit) → 150, 3 units, 2 buyers.
    // 客单价 = 150 / 2 = 75; 客件数 = 3 / 2 = 1.5. (c2 and c3 paid after day 0.)
    expect(shop).toMatchObject({ salesAmount: 150, unitsSold: 3, buyers: 2, valuePerBuyer: 75, unitsPerBuyer: 1.5 });
    // a1: c1's 100 / 2 units; a2: c5's 50 / 1 unit.
    expect(agents.get('a1')).toMatchObject({ salesAmount: 100, unitsSold: 2, buyers: 1, valuePerBuyer: 100, unitsPerBuyer: 2 });
    expect(agents.get('a2')).toMatchObject({ salesAmount: 50, unitsSold: 1, buyers: 1, valuePerBuyer: 50, unitsPerBuyer: 1 });
    // Over the whole log: 100 + 80 + 40 + 50 = 270, 5 units, 4 buyers → 67.5 per buyer, 1.25 units per buyer.
    const all = computeMetrics(log).shop;
    expect(all).toMatchObject({ salesAmount: 270, unitsSold: 5, buyers: 4, valuePerBuyer: 67.5, unitsPerBuyer: 1.25 });
  });

  it('says which delayed figures are final as of asOf', () => {
    const upTo = (t: number): ConversationEvent[] => log.filter((e) => e.at <= t);
    // Day 1 noon: c2 has not ordered yet → 1 inquiry (c1); day 0's window closes at the start of day 2 → not final.
    const noon1 = computeMetrics(upTo(at(1, 12)), { ...day0, asOf: at(1, 12) }).shop;
    expect(noon1.inquiries).toEqual({ value: 1, final: false });
    expect(noon1.inquiryToNextDayPaymentRate).toEqual({ value: 1, final: false });
    expect(noon1.inquiryToFinalPaymentRate).toEqual({ value: 1, final: false });
    // Start of day 2: inquiries settled at 2; next-day rate 1/2 settled; c2 has not paid yet → final rate 1/2, not final.
    const day2 = computeMetrics(upTo(at(2, 0)), { ...day0, asOf: at(2, 0) }).shop;
    expect(day2.inquiries).toEqual({ value: 2, final: true });
    expect(day2.inquiryToNextDayPaymentRate).toEqual({ value: 0.5, final: true });
    expect(day2.inquiryToFinalPaymentRate).toEqual({ value: 0.5, final: false });
    // One ms before day 5 the final rate is 2/2 but still open; at the start of day 5 it is final.
    expect(computeMetrics(log, { ...day0, asOf: at(5, 0) - 1 }).shop.inquiryToFinalPaymentRate).toEqual({ value: 1, final: false });
    // asOf defaults to the last event (day 3, 09:00): next-day figures final, final payment not.
    const byDefault = computeMetrics(log, day0);
    expect(byDefault.asOf).toBe(at(3, 9));
    expect(byDefault.shop.inquiries.final).toBe(true);
    expect(byDefault.shop.inquiryToFinalPaymentRate.final).toBe(false);
  });

  it('credits a sale to the last agent who held the customer, within 4 days of the consultation day', () => {
    const events = byTime([
      // c1: a1 → transfer → a2, pays late on day 4 (through service) and again on day 5 (not).
      { type: 'consultation', at: at(0, 9), customerId: 'c1' },
      { type: 'assigned', at: at(0, 9), customerId: 'c1', agentId: 'a1' },
      { type: 'transfer', at: at(0, 9, 5), customerId: 'c1', fromAgentId: 'a1', toAgentId: 'a2' },
      { type: 'end', at: at(0, 9, 10), customerId: 'c1' },
      { type: 'order-paid', at: at(4, 23), customerId: 'c1', orderId: 'o1', amount: 200, units: 3 },
      { type: 'order-paid', at: at(5, 1), customerId: 'c1', orderId: 'o2', amount: 999, units: 9 },
      // c2 never consulted: its payment is not through service.
      { type: 'order-paid', at: at(0, 12), customerId: 'c2', orderId: 'o3', amount: 500, units: 5 },
      // c3 talked to the robot only: a shop sale, no agent's.
      { type: 'consultation', at: at(0, 10), customerId: 'c3' },
      { type: 'assigned', at: at(0, 10), customerId: 'c3', robot: true },
      { type: 'order-paid', at: at(0, 10, 5), customerId: 'c3', orderId: 'o4', amount: 30, units: 1 },
    ]);
    const { shop, agents } = computeMetrics(events);
    // Shop: 200 (c1, day 4) + 30 (c3) = 230; 3 + 1 = 4 units; 2 buyers.
    expect(shop).toMatchObject({ salesAmount: 230, unitsSold: 4, buyers: 2, valuePerBuyer: 115, unitsPerBuyer: 2 });
    // a2 held c1 last → 200 / 3 units / 1 buyer; a1 sold nothing.
    expect(agents.get('a2')).toMatchObject({ salesAmount: 200, unitsSold: 3, buyers: 1 });
    expect(agents.get('a1')).toMatchObject({ salesAmount: 0, unitsSold: 0, buyers: 0, valuePerBuyer: null, unitsPerBuyer: null });
  });
});
