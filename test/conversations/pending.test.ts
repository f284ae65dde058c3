import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/index.js';
import { shop } from '../helpers.js';

const pending = (r: ReturnType<typeof shop>['router'], id: string): number | undefined => r.getAgent(id)?.pending;

describe('pending (待回复人数) counts the consultations that await the agent\'s reply', () => {
  it('from the assignment until agentReply, and again from each customerMessage', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.route({ customerId: 'c1', at: tick() });
    expect(pending(router, 'a')).toBe(1);
    expect(router.consultation('c1')).toMatchObject({ kind: 'agent', agentId: 'a', awaitingReplySince: 1_000_001 });
    router.agentReply('c1', tick());
    expect(pending(router, 'a')).toBe(0);
    expect(router.consultation('c1')?.awaitingReplySince).toBeUndefined();
    router.agentReply('c1', tick()); // a second reply changes nothing
    expect(pending(router, 'a')).toBe(0);
    router.customerMessage('c1', tick());
    router.customerMessage('c1', tick()); // still one customer waiting, not two
    expect(pending(router, 'a')).toBe(1);
    expect(router.consultation('c1')?.awaitingReplySince).toBe(1_000_004);
  });

  it('stops counting when the consultation leaves the agent: end, re-route, transfer, going offline, removal', () => {
    const { router, tick } = shop();
    for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online', cap: 5 });
    const ids = ['e', 'r', 't', 'o'];
    for (const id of ids) router.route({ customerId: id, dedicatedAgentId: 'a', at: tick() });
    expect(pending(router, 'a')).toBe(4);
    router.end('e', tick());
    expect(pending(router, 'a')).toBe(3);
    router.reroute('r', { reason: 'declined', at: tick() });
    expect(pending(router, 'a')).toBe(2);
    router.reroute('t', { reason: 'transfer', toAgentId: 'c', at: tick() });
    expect(pending(router, 'a')).toBe(1);
    const moved = router.setStatus('a', 'offline', tick());
    expect(moved.map((d) => [d.customerId, d.reroutedFrom, d.rerouteReason])).toEqual([['o', 'a', 'offline']]);
    expect(router.getAgent('a')).toMatchObject({ active: 0, pending: 0 });
    // The new holders count them, each once.
    expect((pending(router, 'b') ?? 0) + (pending(router, 'c') ?? 0)).toBe(3);
    const removed = router.removeAgent('c', tick());
    expect(removed.every((d) => d.rerouteReason === 'removed')).toBe(true);
    expect(router.agents().reduce((n, a) => n + a.pending, 0)).toBe(3);
  });

  it('a hand-over is a new offer: the chat awaits the new agent\'s reply, even when the old agent answered last', () => {
    const { router, tick } = shop({ answerTimeoutMs: 30_000 });
    for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online', cap: 5 });
    for (const id of ['t', 'o']) router.route({ customerId: id, dedicatedAgentId: 'a', at: tick() });
    router.agentReply('t', tick());
    router.agentReply('o', tick());
    expect(pending(router, 'a')).toBe(0);
    const handedAt = tick();
    router.reroute('t', { reason: 'transfer', toAgentId: 'b', at: handedAt });
    expect(router.consultation('t')).toMatchObject({ agentId: 'b', awaitingReplySince: handedAt });
    expect(pending(router, 'b')).toBe(1);
    // The same on a shift's end: whoever takes the chat owes the customer a first word.
    router.setStatus('a', 'offline', tick());
    expect(pending(router, 'b')! + pending(router, 'c')!).toBe(2);
    // And it is what the answer timeout times: unanswered, the chat moves on at handedAt + 30 s.
    expect(router.consultation('t')?.deadline).toBe(handedAt + 30_000);
    expect(router.advance(handedAt + 29_999).filter((d) => d.customerId === 't')).toEqual([]);
    expect(router.advance(handedAt + 30_000).filter((d) => d.customerId === 't')).toMatchObject([{ reroutedFrom: 'b', rerouteReason: 'timeout' }]);
  });

  it('an agent back online with no chats shows nothing pending (the busy rule stays meaningful without setPending)', () => {
    const { router, tick } = shop({ busyThreshold: 1 });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    for (let i = 0; i < 6; i++) router.route({ customerId: `c${i}`, at: tick() });
    for (let i = 0; i < 6; i++) router.agentReply(`c${i}`, tick());
    for (let i = 0; i < 6; i++) router.end(`c${i}`, tick());
    router.setStatus('a', 'offline', tick());
    router.setStatus('a', 'online', tick());
    expect(router.getAgent('a')).toMatchObject({ active: 0, pending: 0, busy: false });
    // Neither is busy: the next consultations are split, not handed out as a busy fallback.
    expect(router.route({ customerId: 'n1', at: tick() })).toMatchObject({ reason: 'split' });
  });

  it('setPending replaces the count; the router\'s own events then move it by one each, never below 0', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.route({ customerId: 'c1', at: tick() });
    router.route({ customerId: 'c2', at: tick() });
    router.setPending('a', 0);
    router.agentReply('c1', tick());
    router.end('c2', tick());
    expect(pending(router, 'a')).toBe(0);
    router.setPending('a', 7);
    router.customerMessage('c1', tick());
    expect(pending(router, 'a')).toBe(8);
  });

  it('a message for a consultation not with an agent changes nothing; a reply to one is INVALID_STATE and changes nothing', () => {
    const { router, tick } = shop();
    router.route({ customerId: 'q', at: tick() }); // nobody online: queued
    const before = JSON.stringify(router.snapshot());
    router.customerMessage('q', tick());
    expect(router.consultation('q')?.awaitingReplySince).toBeUndefined();
    const after = JSON.stringify(router.snapshot());
    expect(() => router.agentReply('q', tick())).toThrow(RoutingError);
    expect(JSON.stringify(router.snapshot())).toBe(after);
    expect(before).not.toBe(after); // only the time moved
    expect(() => router.customerMessage('nobody')).toThrowError(expect.objectContaining({ code: 'UNKNOWN_CUSTOMER' }));
    expect(() => router.agentReply('nobody')).toThrowError(expect.objectContaining({ code: 'UNKNOWN_CUSTOMER' }));
    expect(() => router.agentReply('q', 0)).toThrowError(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});
