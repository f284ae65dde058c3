import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics, toEvents } from '../../src/metrics/index.js';
import type { ConversationEvent } from '../../src/metrics/index.js';
import { RoutingError } from '../../src/errors.js';
import { Router } from '../../src/router.js';
import { arbitraryLog, at, byTime, DAY, DAY0, MINUTE, SECOND } from './helpers.js';

// Hand-written morning of a shop with two groups, 会员 (members) and 鞋类 (shoes).
// Every answer below is worked out from the log by hand.
const t = (mm: number, ss = 0): number => at(0, 9, mm, ss);
const log: ConversationEvent[] = byTime([
  // m1: a member, assigned through 会员, answered after 30 s; buys for 300.
  { type: 'consultation', at: t(0), customerId: 'm1' },
  { type: 'assigned', at: t(0), customerId: 'm1', agentId: 'vip-a', groupId: '会员' },
  { type: 'customer-message', at: t(0), customerId: 'm1' },
  { type: 'agent-reply', at: t(0, 30), customerId: 'm1', agentId: 'vip-a' },
  { type: 'order-placed', at: t(10), customerId: 'm1', orderId: 'o1' },
  { type: 'order-paid', at: t(11), customerId: 'm1', orderId: 'o1', amount: 300, units: 2 },
  { type: 'end', at: t(12), customerId: 'm1' },
  // s1: waits in the queue (two messages), then a shoe agent takes it through 鞋类 and answers:
  // a wait of 2 min 30 s from the first message, and both early messages are 鞋类's.
  { type: 'consultation', at: t(1), customerId: 's1' },
  { type: 'customer-message', at: t(1), customerId: 's1' },
  { type: 'customer-message', at: t(2), customerId: 's1' },
  { type: 'assigned', at: t(3), customerId: 's1', agentId: 'shoe-a', groupId: '鞋类' },
  { type: 'agent-reply', at: t(3, 30), customerId: 's1', agentId: 'shoe-a' },
  { type: 'end', at: t(20), customerId: 's1' },
  // s2: 鞋类 first, then transferred to the member agent, who answers after 90 s (slow):
  // it stays 鞋类's — a conversation belongs to its first human assignment's group.
  { type: 'consultation', at: t(4), customerId: 's2' },
  { type: 'assigned', at: t(4), customerId: 's2', agentId: 'shoe-a', groupId: '鞋类' },
  { type: 'customer-message', at: t(4), customerId: 's2' },
  { type: 'transfer', at: t(5), customerId: 's2', fromAgentId: 'shoe-a', toAgentId: 'vip-a' },
  { type: 'agent-reply', at: t(5, 30), customerId: 's2', agentId: 'vip-a' },
  { type: 'end', at: t(21), customerId: 's2' },
  // r1: a returning customer given to her recent contact (no groupId): no group.
  { type: 'consultation', at: t(6), customerId: 'r1' },
  { type: 'assigned', at: t(6), customerId: 'r1', agentId: 'shoe-a' },
  { type: 'customer-message', at: t(6), customerId: 'r1' },
  { type: 'agent-reply', at: t(6, 10), customerId: 'r1', agentId: 'shoe-a' },
  { type: 'end', at: t(22), customerId: 'r1' },
  // b1: the robot first, then escalated to 会员: the wait runs through the robot (45 s).
  { type: 'consultation', at: t(7), customerId: 'b1' },
  { type: 'assigned', at: t(7), customerId: 'b1', robot: true },
  { type: 'customer-message', at: t(7), customerId: 'b1' },
  { type: 'robot-reply', at: t(7), customerId: 'b1' },
  { type: 'consultation', at: t(7, 20), customerId: 'b1' },
  { type: 'assigned', at: t(7, 20), customerId: 'b1', agentId: 'vip-a', groupId: '会员' },
  { type: 'agent-reply', at: t(7, 45), customerId: 'b1', agentId: 'vip-a' },
  { type: 'end', at: t(23), customerId: 'b1' },
  // x1: the robot alone: the shop's only.
  { type: 'consultation', at: t(8), customerId: 'x1' },
  { type: 'assigned', at: t(8), customerId: 'x1', robot: true },
  { type: 'customer-message', at: t(8), customerId: 'x1' },
  { type: 'end', at: t(9), customerId: 'x1' },
]);

describe('reception metrics per group', () => {
  const report = computeMetrics(log, { asOf: at(0, 12) });

  it('counts each conversation for the group of its first human assignment', () => {
    expect([...report.groups.keys()]).toEqual(['会员', '鞋类']); // ascending ids
    const vip = report.groups.get('会员');
    const shoes = report.groups.get('鞋类');
    expect(vip?.receptions).toBe(2); // m1, b1
    expect(shoes?.receptions).toBe(2); // s1, s2 (s2 despite its transfer)
    expect(report.shop.receptions).toBe(6); // … and r1 (no group), x1 (robot only)
  });

  it('measures the waits of the group\'s conversations, from the first message, whoever answers', () => {
    const vip = report.groups.get('会员');
    const shoes = report.groups.get('鞋类');
    expect(vip?.firstResponseTimeMs).toBe(((30 + 45) * SECOND) / 2); // m1 30 s, b1 45 s (through the robot)
    expect(shoes?.firstResponseTimeMs).toBe(((150 + 90) * SECOND) / 2); // s1 150 s, s2 90 s
    expect(shoes?.slowResponses).toBe(2);
    expect(vip?.slowResponses).toBe(0);
    expect(vip?.responseLadder[0]?.rate).toBe(1);
    expect(shoes?.responseLadder[0]?.rate).toBe(0);
    expect(shoes?.responseLadder[2]?.rate).toBe(1); // within 5 min
  });

  it('counts the messages sent before the assignment for the group the conversation then joins', () => {
    expect(report.groups.get('鞋类')?.customerMessages).toBe(3); // s1's two in the queue, s2's one
    expect(report.groups.get('会员')?.customerMessages).toBe(2); // m1's, and b1's to the robot
    expect(report.groups.get('鞋类')?.agentMessages).toBe(2);
  });

  it('credits sales to the group of the customer-day\'s last conversation in a group', () => {
    expect(report.groups.get('会员')?.salesAmount).toBe(300);
    expect(report.groups.get('会员')?.inquiries.value).toBe(1);
    expect(report.groups.get('鞋类')?.salesAmount).toBe(0);
    const later = byTime([
      ...log,
      // m1 comes back in the afternoon and is taken through 鞋类, then pays another order.
      { type: 'consultation', at: at(0, 14), customerId: 'm1' },
      { type: 'assigned', at: at(0, 14), customerId: 'm1', agentId: 'shoe-a', groupId: '鞋类' },
      { type: 'end', at: at(0, 14, 30), customerId: 'm1' },
      { type: 'order-paid', at: at(0, 15), customerId: 'm1', orderId: 'o2', amount: 80, units: 1 },
    ]);
    const { groups } = computeMetrics(later);
    expect(groups.get('鞋类')?.salesAmount).toBe(80);
    expect(groups.get('会员')?.salesAmount).toBe(300);
    // One customer-day, two groups: m1 counts once for each.
    expect(groups.get('会员')?.receptions).toBe(2);
    expect(groups.get('鞋类')?.receptions).toBe(3);
  });

  it('leaves a conversation answered before any assignment out of every group', () => {
    const { groups, shop } = computeMetrics([
      { type: 'consultation', at: DAY0, customerId: 'c' },
      { type: 'customer-message', at: DAY0, customerId: 'c' },
      { type: 'agent-reply', at: DAY0 + 5 * SECOND, customerId: 'c', agentId: 'a' },
      { type: 'assigned', at: DAY0 + 10 * SECOND, customerId: 'c', agentId: 'a', groupId: 'G' },
    ]);
    expect(shop.receptions).toBe(1);
    expect(groups.size).toBe(0);
  });

  it('is empty without groupIds, and groupIds change no other figure', () => {
    const plain = log.map((e) => {
      if (e.type !== 'assigned' || e.robot === true) return e;
      const { groupId: _dropped, ...rest } = e;
      return rest;
    });
    const without = computeMetrics(plain, { asOf: at(0, 12) });
    expect(without.groups.size).toBe(0);
    expect(without.shop).toEqual(report.shop);
    expect(without.agents).toEqual(report.agents);
  });

  it('on random logs: groupIds change no shop or agent figure, and no group counts more than the shop', () => {
    fc.assert(
      fc.property(arbitraryLog(), fc.nat(2), (log, groups) => {
        const labelled = log.map((e) => (e.type === 'assigned' && e.robot !== true ? { ...e, groupId: `g${e.customerId.charCodeAt(e.customerId.length - 1) % (groups + 1)}` } : e));
        const a = computeMetrics(log);
        const b = computeMetrics(labelled);
        expect(b.shop).toEqual(a.shop);
        expect(b.agents).toEqual(a.agents);
        for (const f of b.groups.values()) {
          expect(f.consultations).toBe(f.receptions + f.filtered);
          for (const key of ['consultations', 'receptions', 'customerMessages', 'agentMessages', 'repliedCustomers', 'slowResponses', 'salesAmount', 'buyers'] as const) {
            expect(f[key]).toBeLessThanOrEqual(b.shop[key]);
          }
        }
        // Each customer is in one group here, so the groups' customer counts add up to at most the shop's.
        const sum = [...b.groups.values()].reduce((n, f) => n + f.consultations, 0);
        expect(sum).toBeLessThanOrEqual(b.shop.consultations);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a groupId that is not a non-empty string, or one on a robot assignment', () => {
    const open: ConversationEvent = { type: 'consultation', at: 0, customerId: 'c' };
    const bad = (event: Record<string, unknown>): RoutingError => {
      try {
        computeMetrics([open, { at: 0, customerId: 'c', type: 'assigned', ...event } as ConversationEvent]);
      } catch (error) {
        return error as RoutingError;
      }
      throw new Error('expected a RoutingError');
    };
    for (const groupId of ['', 7, null]) {
      const error = bad({ agentId: 'a', groupId });
      expect(error).toBeInstanceOf(RoutingError);
      expect([error.code, error.field]).toEqual(['INVALID_EVENT', 'events[1].groupId']);
    }
    const robot = bad({ robot: true, groupId: 'G' });
    expect([robot.code, robot.field]).toEqual(['INVALID_EVENT', 'events[1].groupId']);
  });
});

describe('toEvents refuses what is not a decision', () => {
  it.each([['null', null], ['a decision of an unknown kind', { kind: 'nope', customerId: 'c1', at: 1 }]])('%s: INVALID_ARGUMENT', (_, decision) => {
    for (const options of [{}, { firstMessage: true }]) {
      expect(() => toEvents(decision as never, options)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'decision' }));
    }
  });
});

describe('toEvents and groups', () => {
  it('copies an agent decision\'s groupId onto its assignment, and adds none without one', () => {
    const base = { customerId: 'c1', at: 1_000, kind: 'agent', agentId: 'a1', reason: 'split' } as const;
    expect(toEvents({ ...base, groupId: '鞋类' })).toEqual([
      { type: 'consultation', at: 1_000, customerId: 'c1' },
      { type: 'assigned', at: 1_000, customerId: 'c1', agentId: 'a1', groupId: '鞋类' },
    ]);
    expect(toEvents({ ...base, groupId: '鞋类', waitedMs: 5_000 })).toEqual([{ type: 'assigned', at: 1_000, customerId: 'c1', agentId: 'a1', groupId: '鞋类' }]);
    expect(Object.keys(toEvents(base)[1] ?? {})).toEqual(['type', 'at', 'customerId', 'agentId']);
  });

  it('a router with reception scopes feeds the per-group report', () => {
    const router = new Router({ groups: [{ id: '会员', segments: ['vip'] }, { id: '鞋类', products: ['boots'] }, { id: '通用' }] });
    for (const [id, group] of [['m', '会员'], ['s', '鞋类'], ['g', '通用']] as const) router.upsertAgent({ id, status: 'online', groups: [group] }, DAY0);
    const events: ConversationEvent[] = [];
    const route = (customerId: string, scope: { segment?: string; product?: string }, minute: number): void => {
      events.push(...toEvents(router.route({ customerId, ...scope, at: DAY0 + minute * MINUTE }), { firstMessage: true }));
    };
    route('c1', { segment: 'vip' }, 0);
    route('c2', { product: 'boots' }, 1);
    route('c3', { product: 'boots', segment: 'vip' }, 2); // 人群 first: 会员
    route('c4', { product: 'hat' }, 3); // nothing narrows: every agent, no groupId
    const { groups, shop } = computeMetrics(events, { asOf: DAY0 + DAY });
    expect(shop.consultations).toBe(4);
    expect(groups.get('会员')?.consultations).toBe(2);
    expect(groups.get('鞋类')?.consultations).toBe(1);
    expect(groups.has('通用')).toBe(false);
  });
});
