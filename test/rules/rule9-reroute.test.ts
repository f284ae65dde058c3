import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/index.js';
import { shop, target } from '../helpers.js';

describe('rule 9: re-routing', () => {
  it('a declined consultation goes to another agent, never back to the one that declined', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    const first = router.route({ customerId: 'c1' });
    const [again, ...drains] = router.reroute('c1', { reason: 'declined', at: tick() });
    expect(again).toMatchObject({ kind: 'agent', reroutedFrom: target(first) });
    expect(target(again!)).not.toBe(target(first));
    expect(drains).toEqual([]);
    expect(router.getAgent(target(first))?.active).toBe(0);
  });

  it('with nobody else, a timed-out consultation queues (keeping its arrival time), not back to the same agent', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.route({ customerId: 'early', at: tick() });
    router.route({ customerId: 'later', at: tick() });
    router.upsertAgent({ id: 'a', cap: 0 }, tick());
    router.route({ customerId: 'newest', at: tick() });
    const [d] = router.reroute('early', { reason: 'timeout', at: tick() });
    expect(d).toMatchObject({ kind: 'queued', position: 1, reroutedFrom: 'a' });
    expect(router.queue()).toMatchObject([{ customerId: 'early', since: 1_000_001 }, { customerId: 'newest' }]);
    // The agent frees up: the queue is served, but 'early' never returns to 'a'.
    const drained = router.upsertAgent({ id: 'a', cap: 5 }, tick());
    expect(drained.map((x) => x.customerId)).toEqual(['newest']);
  });

  it('a transfer goes to the named target, even one it was taken from before', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    router.route({ customerId: 'c1', dedicatedAgentId: 'a' });
    expect(router.reroute('c1', { reason: 'transfer', toAgentId: 'b', at: tick() })[0]).toMatchObject({ agentId: 'b', reason: 'transfer', reroutedFrom: 'a' });
    expect(router.reroute('c1', { reason: 'transfer', toAgentId: 'a', at: tick() })[0]).toMatchObject({ agentId: 'a', reason: 'transfer', reroutedFrom: 'b' });
  });

  it('a transfer to an agent at cap or offline is refused and changes nothing', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'full', status: 'online', cap: 0 });
    router.route({ customerId: 'c1' });
    const before = JSON.stringify(router.snapshot());
    expect(() => router.reroute('c1', { reason: 'transfer', toAgentId: 'full', at: tick() })).toThrow(RoutingError);
    expect(JSON.stringify(router.snapshot())).toBe(before);
  });

  it('the freed slot serves the queue after the re-routed consultation', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online', cap: 1 });
    router.upsertAgent({ id: 'b', status: 'online', cap: 1 });
    router.route({ customerId: 'c1', dedicatedAgentId: 'a' });
    router.route({ customerId: 'c2', dedicatedAgentId: 'b' });
    router.route({ customerId: 'waiting', at: tick() });
    const out = router.reroute('c1', { reason: 'declined', at: tick() });
    // c1 may not go back to a and b is full, so c1 queues — ahead of 'waiting', as it keeps its
    // earlier arrival. The drain then skips c1 (a is excluded for it) and serves 'waiting' with a.
    expect(out.map((d) => [d.customerId, target(d)])).toEqual([['c1', 'queue'], ['waiting', 'a']]);
  });

  it('an agent going offline has its open consultations re-routed, oldest first', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online', cap: 1 });
    router.route({ customerId: 'c1', dedicatedAgentId: 'a', at: tick() });
    router.route({ customerId: 'c2', dedicatedAgentId: 'a', at: tick() });
    const out = router.setStatus('a', 'offline', tick());
    expect(out.map((d) => [d.customerId, target(d)])).toEqual([['c1', 'b'], ['c2', 'queue']]);
    expect(out[0]).toMatchObject({ reroutedFrom: 'a' });
    expect(router.getAgent('a')?.active).toBe(0);
  });

  it('chats taken from different agents wait in service order; each agent skips only those taken from it', () => {
    const { router, tick } = shop();
    for (const id of ['d1', 'd2', 'd3', 'n']) router.upsertAgent({ id, status: 'online', cap: 1 });
    for (const [c, agent] of [['c1', 'd1'], ['c2', 'd2'], ['c3', 'd3'], ['busy', 'n']]) router.route({ customerId: c as string, dedicatedAgentId: agent, at: tick() });
    // The day shift leaves: each chat waits, taken from its own agent (three exclusion sets).
    for (const id of ['d1', 'd2', 'd3']) expect(router.setStatus(id, 'offline', tick()).map(target)).toEqual(['queue']);
    expect(router.queue().map((q) => q.customerId)).toEqual(['c1', 'c2', 'c3']);
    // d1 comes back: it may take any of them but c1, so it takes c2, the first of the rest.
    expect(router.setStatus('d1', 'online', tick()).map((d) => [d.customerId, target(d)])).toEqual([['c2', 'd1']]);
    // n frees its slot: c1, now the queue's head, goes to it.
    expect(router.end('busy', tick()).map((d) => [d.customerId, target(d)])).toEqual([['c1', 'n']]);
    // d3 comes back: c3 was taken from it, so it waits on.
    expect(router.setStatus('d3', 'online', tick())).toEqual([]);
    expect(router.end('c2', tick()).map((d) => [d.customerId, target(d)])).toEqual([['c3', 'd1']]);
  });

  it('removing an agent re-routes its consultations too', () => {
    const { router, tick } = shop({ noAgent: 'main', mainAccountId: 'boss' });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.route({ customerId: 'c1' });
    expect(router.removeAgent('a', tick())).toMatchObject([{ kind: 'offline', accountId: 'boss', reason: 'nobody-online', reroutedFrom: 'a' }]);
    expect(router.getAgent('a')).toBeUndefined();
    expect(router.agents()).toEqual([]);
  });

  it('re-routing a consultation that is not with an agent is INVALID_STATE', () => {
    const { router } = shop();
    router.route({ customerId: 'c1' });
    expect(() => router.reroute('c1', { reason: 'declined' })).toThrow(/with an agent/);
  });
});
