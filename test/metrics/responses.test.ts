import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/metrics/index.js';
import type { ConversationEvent, Figures } from '../../src/metrics/index.js';
import { at, byTime, MINUTE } from './helpers.js';

const open = (customerId: string, t: number, agentId?: string): ConversationEvent[] => [
  { type: 'consultation', at: t, customerId },
  agentId === undefined ? { type: 'assigned', at: t, customerId, robot: true } : { type: 'assigned', at: t, customerId, agentId },
];
const msg = (customerId: string, t: number): ConversationEvent => ({ type: 'customer-message', at: t, customerId });
const reply = (customerId: string, t: number, agentId: string): ConversationEvent => ({ type: 'agent-reply', at: t, customerId, agentId });
const ladder = (figures: Figures | undefined, minutes: number): number | null | undefined =>
  figures?.responseLadder.find((step) => step.withinMs === minutes * MINUTE)?.rate;

// 答问比 and 回复率: human replies only.
describe('answer/question ratio and reply rate', () => {
  const log = byTime([
    // c1: 3 customer messages, 2 human replies, plus an auto-reply and a robot reply that never count.
    ...open('c1', at(0, 9), 'a1'),
    msg('c1', at(0, 9, 0, 10)),
    { type: 'auto-reply', at: at(0, 9, 0, 11), customerId: 'c1' },
    { type: 'robot-reply', at: at(0, 9, 0, 12), customerId: 'c1' },
    reply('c1', at(0, 9, 1), 'a1'),
    msg('c1', at(0, 9, 2)),
    msg('c1', at(0, 9, 3)),
    reply('c1', at(0, 9, 4), 'a1'),
    // c2: one message, never answered.
    ...open('c2', at(0, 10), 'a1'),
    msg('c2', at(0, 10, 1)),
    // c3: says nothing, gets nothing.
    ...open('c3', at(0, 11), 'a1'),
    { type: 'end', at: at(0, 11, 5), customerId: 'c3' },
  ]);

  it('divides human replies by customer messages and replied customers by receptions', () => {
    const { shop, agents } = computeMetrics(log);
    // 答问比 = 2 agent messages / 4 customer messages (c1: 3, c2: 1) = 0.5.
    expect(shop).toMatchObject({ agentMessages: 2, customerMessages: 4, answerQuestionRatio: 0.5 });
    // 回复率 = replied 1 (c1) / receptions 3 = (3 − 2 unreplied) / 3.
    expect(shop).toMatchObject({ repliedCustomers: 1, receptions: 3, replyRate: 1 / 3 });
    expect(agents.get('a1')).toMatchObject({ answerQuestionRatio: 0.5, replyRate: 1 / 3 });
  });

  it('never treats robot or auto replies as an answer', () => {
    const robotOnly = byTime([
      ...open('c1', at(0, 9)),
      msg('c1', at(0, 9, 0, 5)),
      { type: 'robot-reply', at: at(0, 9, 0, 6), customerId: 'c1' },
      { type: 'auto-reply', at: at(0, 9, 0, 7), customerId: 'c1', agentId: 'a1' },
      { type: 'end', at: at(0, 9, 1), customerId: 'c1' },
    ]);
    // One reception (an automatic answer does not filter the customer: only the backend's mark does),
    // 1 customer message, 0 human replies: ratio 0, reply rate 0, no first response, nobody answered
    // within any threshold.
    const { shop, agents } = computeMetrics(robotOnly);
    expect(shop).toMatchObject({ receptions: 1, filtered: 0, answerQuestionRatio: 0, replyRate: 0, firstResponseTimeMs: null, avgResponseTimeMs: null });
    expect(shop.responseLadder.every((step) => step.rate === 0)).toBe(true);
    expect(agents.size).toBe(0);
  });
});

// 首次响应时间, 平均响应时间, 慢响应人数, 响应率 ladder — on waits for a human reply.
describe('waits', () => {
  const log = byTime([
    // c1: waits from 09:00:00 (auto and robot replies don't end it; 09:00:30 doesn't restart it)
    // until the human reply at 09:01:30 → 90 s. Then 09:02:00 → 09:02:20 → 20 s. Slow (90 s > 60 s).
    ...open('c1', at(0, 9), 'a1'),
    msg('c1', at(0, 9, 0, 0)),
    { type: 'auto-reply', at: at(0, 9, 0, 1), customerId: 'c1' },
    { type: 'robot-reply', at: at(0, 9, 0, 2), customerId: 'c1' },
    msg('c1', at(0, 9, 0, 30)),
    reply('c1', at(0, 9, 1, 30), 'a1'),
    msg('c1', at(0, 9, 2, 0)),
    reply('c1', at(0, 9, 2, 20), 'a1'),
    // A second reply in a row ends no wait.
    reply('c1', at(0, 9, 2, 25), 'a1'),
    // c2: 09:10:00 → 09:10:40 = 40 s; then 09:11:00 (and 09:11:30) → 09:12:00 = 60 s, which does not exceed 60 s.
    ...open('c2', at(0, 9, 10), 'a1'),
    msg('c2', at(0, 9, 10, 0)),
    reply('c2', at(0, 9, 10, 40), 'a1'),
    msg('c2', at(0, 9, 11, 0)),
    msg('c2', at(0, 9, 11, 30)),
    reply('c2', at(0, 9, 12, 0), 'a1'),
    // c3: writes at 09:20, is never answered, leaves at 09:40 → a 20-minute wait: slow, not answered.
    ...open('c3', at(0, 9, 20), 'a1'),
    msg('c3', at(0, 9, 20)),
    { type: 'end', at: at(0, 9, 40), customerId: 'c3' },
    // c4: filtered: its quick answer counts nowhere.
    { type: 'consultation', at: at(0, 9, 30), customerId: 'c4', filtered: true },
    { type: 'assigned', at: at(0, 9, 30), customerId: 'c4', agentId: 'a1' },
    msg('c4', at(0, 9, 30)),
    reply('c4', at(0, 9, 30, 1), 'a1'),
  ]);

  it('averages first waits and all waits, counts slow customers', () => {
    const { shop } = computeMetrics(log);
    // 首次响应时间 = (90 s + 40 s) / 2 answered receptions = 65 s.
    expect(shop.firstResponseTimeMs).toBe(65_000);
    // 平均响应时间 = (90 + 20 + 40 + 60) s / 4 replies that ended a wait = 52.5 s.
    expect(shop.avgResponseTimeMs).toBe(52_500);
    // 慢响应人数: c1 (90 s) and c3 (20 min unanswered) → 2.
    expect(shop.slowResponses).toBe(2);
    expect(shop).toMatchObject({ receptions: 3, filtered: 1, repliedCustomers: 2 });
  });

  it('builds the response-rate ladder over receptions', () => {
    const { shop } = computeMetrics(log);
    // First waits: c1 90 s, c2 40 s, c3 never; denominator 3 receptions (c4 filtered out).
    // ≤ 1 min: c2 → 1/3; ≤ 2 min and up: c1, c2 → 2/3 (c3 is never within any threshold).
    expect(ladder(shop, 1)).toBeCloseTo(1 / 3, 12);
    for (const minutes of [2, 5, 10, 15, 20, 30, 40, 50, 60]) expect(ladder(shop, minutes)).toBeCloseTo(2 / 3, 12);
    expect(shop.responseLadder.map((step) => step.withinMs / MINUTE)).toEqual([1, 2, 5, 10, 15, 20, 30, 40, 50, 60]);
  });

  it('follows the slow threshold and a custom ladder', () => {
    // With slow > 30 s: c1 (90 s), c2 (40 s, 60 s) and c3 are all slow → 3.
    const strict = computeMetrics(log, { slowResponseMs: 30_000, responseLadderMs: [30_000, 40_000, 90_000] }).shop;
    expect(strict.slowResponses).toBe(3);
    // ≤ 30 s: nobody → 0; ≤ 40 s: c2 → 1/3; ≤ 90 s: c1, c2 → 2/3.
    expect(strict.responseLadder).toEqual([
      { withinMs: 30_000, rate: 0 },
      { withinMs: 40_000, rate: 1 / 3 },
      { withinMs: 90_000, rate: 2 / 3 },
    ]);
  });

  it('counts a still-open wait as slow once it has lasted past the threshold at asOf', () => {
    const pending = byTime([...open('c1', at(0, 9), 'a1'), msg('c1', at(0, 9, 0, 0))]);
    // Waiting since 09:00:00. At 09:00:59 (59 s) not yet slow; at 09:01:01 (61 s) slow.
    expect(computeMetrics(pending, { asOf: at(0, 9, 0, 59) }).shop.slowResponses).toBe(0);
    expect(computeMetrics(pending, { asOf: at(0, 9, 1, 1) }).shop.slowResponses).toBe(1);
    expect(computeMetrics(pending, { asOf: at(0, 9, 1, 1) }).agents.get('a1')?.slowResponses).toBe(1);
  });

  it('starts the wait at the first message, even while the robot held the customer', () => {
    const escalated = byTime([
      // Robot first; the customer writes at 09:00:00; escalated to a1 at 09:02 (a new consultation
      // on the open conversation continues it); a1 answers at 09:02:30 → one wait of 150 s.
      ...open('c1', at(0, 9)),
      msg('c1', at(0, 9, 0, 0)),
      { type: 'robot-reply', at: at(0, 9, 0, 5), customerId: 'c1' },
      ...open('c1', at(0, 9, 2), 'a1'),
      reply('c1', at(0, 9, 2, 30), 'a1'),
    ]);
    const { shop, agents } = computeMetrics(escalated);
    expect(shop).toMatchObject({ consultations: 1, firstResponseTimeMs: 150_000, slowResponses: 1 });
    expect(agents.get('a1')).toMatchObject({ consultations: 1, firstResponseTimeMs: 150_000 });
  });
});

describe('transfer', () => {
  const log = byTime([
    ...open('c1', at(0, 10), 'a1'),
    msg('c1', at(0, 10, 0, 0)),
    reply('c1', at(0, 10, 0, 30), 'a1'), // a1: 30 s
    msg('c1', at(0, 10, 1, 0)),
    { type: 'transfer', at: at(0, 10, 1, 10), customerId: 'c1', fromAgentId: 'a1', toAgentId: 'a2' },
    reply('c1', at(0, 10, 3, 0), 'a2'), // a2: waited since 10:01:00 → 120 s
    msg('c1', at(0, 10, 4, 0)),
    reply('c1', at(0, 10, 4, 10), 'a2'), // a2: 10 s
  ]);

  it('credits later replies to the new agent', () => {
    const { shop, agents } = computeMetrics(log);
    const a1 = agents.get('a1');
    const a2 = agents.get('a2');
    // a1: one reply, 30 s; the 10:00:00 and 10:01:00 messages came while a1 held c1 → 1/2.
    expect(a1).toMatchObject({ receptions: 1, firstResponseTimeMs: 30_000, avgResponseTimeMs: 30_000, slowResponses: 0, agentMessages: 1, customerMessages: 2 });
    // a2: first wait 120 s, average (120 + 10) / 2 = 65 s, slow (120 s > 60 s); 2 replies to 1 message (10:04).
    expect(a2).toMatchObject({ receptions: 1, firstResponseTimeMs: 120_000, avgResponseTimeMs: 65_000, slowResponses: 1, agentMessages: 2, customerMessages: 1 });
    // a2's ladder: 120 s is not within 1 min, is within 2 min.
    expect(ladder(a2, 1)).toBe(0);
    expect(ladder(a2, 2)).toBe(1);
    // Shop: first response 30 s; average (30 + 120 + 10) / 3 = 53 333.3… ms; 1 slow customer.
    expect(shop.firstResponseTimeMs).toBe(30_000);
    expect(shop.avgResponseTimeMs).toBeCloseTo(160_000 / 3, 9);
    expect(shop.slowResponses).toBe(1);
  });

  it('splits reception time at the replies that close it', () => {
    const { shop, agents } = computeMetrics(log);
    // a1's reply closes 10:00:00 → 10:00:30 = 30 s.
    // a2's replies close 10:00:30 → 10:03:00 = 150 s and 10:03:00 → 10:04:10 = 70 s → 220 s.
    expect(agents.get('a1')?.avgReceptionDurationMs).toBe(30_000);
    expect(agents.get('a2')?.avgReceptionDurationMs).toBe(220_000);
    // Shop: 250 s / 1 replied customer.
    expect(shop.avgReceptionDurationMs).toBe(250_000);
  });
});

// 平均接待时长 = total reception time, periods longer than the maximum wait cut out / replied customers.
describe('reception duration', () => {
  it('cuts out gaps longer than maxWaitMs and divides by replied customers', () => {
    const log = byTime([
      // c1: 10:00 → reply 10:01 (60 s); 10:30 (gap 29 min > 5 min: cut); reply 10:32 (120 s);
      // 10:33 message never answered: its 60 s is not reception time. → 180 s.
      ...open('c1', at(0, 10), 'a1'),
      msg('c1', at(0, 10, 0)),
      reply('c1', at(0, 10, 1), 'a1'),
      msg('c1', at(0, 10, 30)),
      reply('c1', at(0, 10, 32), 'a1'),
      msg('c1', at(0, 10, 33)),
      { type: 'end', at: at(0, 10, 40), customerId: 'c1' },
      // c2: 11:00 → reply 11:02 → 120 s.
      ...open('c2', at(0, 11), 'a1'),
      msg('c2', at(0, 11, 0)),
      reply('c2', at(0, 11, 2), 'a1'),
      // c3: never answered → not a replied customer.
      ...open('c3', at(0, 12), 'a1'),
      msg('c3', at(0, 12, 0)),
    ]);
    // (180 s + 120 s) / 2 replied customers = 150 s.
    expect(computeMetrics(log, { maxWaitMs: 5 * MINUTE }).shop.avgReceptionDurationMs).toBe(150_000);
    // With the default 15 minutes the 29-minute gap is still cut: same 150 s.
    expect(computeMetrics(log).shop.avgReceptionDurationMs).toBe(150_000);
    // With no cut: c1 = 60 s + 29 min + 120 s → 1 920 s; (1 920 + 120) / 2 = 1 020 s.
    expect(computeMetrics(log, { maxWaitMs: Infinity }).shop.avgReceptionDurationMs).toBe(1_020_000);
  });
});
