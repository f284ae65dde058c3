import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/index.js';
import { shop, target } from '../helpers.js';

describe('rule 4: reception mode', () => {
  it('human-first: humans get it while one can take it; the robot only when none can', () => {
    const { router } = shop({ robot: true });
    router.upsertAgent({ id: 'a', status: 'online', cap: 1 });
    expect(router.route({ customerId: 'c1' })).toMatchObject({ kind: 'agent', agentId: 'a' });
    expect(router.route({ customerId: 'c2' })).toMatchObject({ kind: 'robot', reason: 'no-human' });
  });

  it('robot-first: the robot gets new consultations even with humans online; escalation goes to a human', () => {
    const { router, tick } = shop({ robot: true, receptionMode: 'robot-first' });
    router.upsertAgent({ id: 'a', status: 'online' });
    expect(router.route({ customerId: 'c1' })).toMatchObject({ kind: 'robot', reason: 'robot-first' });
    expect(router.escalate('c1', tick())).toMatchObject({ kind: 'agent', agentId: 'a', reason: 'split' });
  });

  it('robot-first: recent contacts and dedicated agents still go to their human first', () => {
    const { router } = shop({ robot: true, receptionMode: 'robot-first' });
    router.upsertAgent({ id: 'a', status: 'online' });
    expect(router.route({ customerId: 'c1', recentContacts: [{ agentId: 'a', at: 999_999 }] })).toMatchObject({ reason: 'recent-contact' });
    expect(router.route({ customerId: 'c2', dedicatedAgentId: 'a' })).toMatchObject({ reason: 'dedicated' });
  });

  it('an escalated consultation never goes back to the robot: with nobody to take it, it follows noAgent', () => {
    const { router, tick } = shop({ robot: true, receptionMode: 'robot-first' });
    router.upsertAgent({ id: 'a', status: 'online', cap: 0 });
    router.route({ customerId: 'c1' });
    expect(router.escalate('c1', tick())).toMatchObject({ kind: 'queued', reason: 'no-human' });
    router.upsertAgent({ id: 'a', cap: 1 }, tick());
    expect(router.getAgent('a')?.active).toBe(1);
  });

  it('mixed 30 %: exactly 3 of every 10 go to the robot, deterministically', () => {
    const { router } = shop({ robot: true, receptionMode: 'mixed', robotRatio: 0.3 });
    router.upsertAgent({ id: 'a', status: 'online' });
    const kinds: string[] = [];
    for (let i = 0; i < 100; i++) kinds.push(router.route({ customerId: `c${i}` }).kind);
    for (let k = 10; k <= 100; k += 10) expect(kinds.slice(0, k).filter((x) => x === 'robot').length).toBe(k * 0.3);
  });

  it('a group overrides the shop mode for the consultations routed to it', () => {
    const { router } = shop({
      robot: true,
      groups: [{ id: 'after-sales', orderStates: ['refunding'], receptionMode: 'robot-first' }],
    });
    router.upsertAgent({ id: 'a', status: 'online', groups: ['after-sales'] });
    expect(router.route({ customerId: 'c1', orderState: 'refunding' })).toMatchObject({ kind: 'robot', reason: 'robot-first' });
    expect(target(router.route({ customerId: 'c2', orderState: 'none' }))).toBe('a');
  });

  it('robot modes without a robot are INVALID_OPTION; mixed without a ratio too', () => {
    expect(() => shop({ receptionMode: 'robot-first' })).toThrow(RoutingError);
    expect(() => shop({ receptionMode: 'mixed', robot: true })).toThrow(/robotRatio/);
    expect(() => shop({ robot: true, receptionMode: 'mixed', robotRatio: 1.5 })).toThrow(/\[0, 1\]/);
  });

  it('escalating a consultation that is not with the robot is INVALID_STATE', () => {
    const { router } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.route({ customerId: 'c1' });
    try {
      router.escalate('c1');
      expect.unreachable();
    } catch (error) {
      expect((error as RoutingError).code).toBe('INVALID_STATE');
    }
  });

  it('mixed at a ratio binary floating point cannot hold (0.29): exactly 29 of every 100 go to the robot', () => {
    const { router } = shop({ robot: true, receptionMode: 'mixed', robotRatio: 0.29 });
    router.upsertAgent({ id: 'a', status: 'online' });
    let robots = 0;
    for (let i = 1; i <= 300; i++) {
      const d = router.route({ customerId: `c${i}` });
      if (d.kind === 'robot') robots++;
      router.end(`c${i}`);
      if (i % 100 === 0) expect(robots).toBe((29 * i) / 100);
    }
  });
});
