import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/index.js';
import { shop } from '../helpers.js';

describe('rule 3: dedicated agent', () => {
  it('goes to the dedicated agent when eligible, outside the bound groups too', () => {
    const { router } = shop({ groups: [{ id: 'post', orderStates: ['shipped'] }] });
    router.upsertAgent({ id: 'post-1', status: 'online', groups: ['post'] });
    router.upsertAgent({ id: 'vip-manager', status: 'online' });
    expect(router.route({ customerId: 'vip', orderState: 'shipped', dedicatedAgentId: 'vip-manager' }))
      .toMatchObject({ kind: 'agent', agentId: 'vip-manager', reason: 'dedicated' });
  });

  it('ranks below a recent contact', () => {
    const { router } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'm', status: 'online' });
    expect(router.route({ customerId: 'vip', dedicatedAgentId: 'm', recentContacts: [{ agentId: 'a', at: 999_000 }] }))
      .toMatchObject({ agentId: 'a', reason: 'recent-contact' });
  });

  it('is skipped when suspended, at cap or offline: the split decides', () => {
    for (const spec of [{ status: 'suspended' as const }, { status: 'online' as const, cap: 0 }, { status: 'offline' as const }]) {
      const { router } = shop();
      router.upsertAgent({ id: 'm', ...spec });
      router.upsertAgent({ id: 'a', status: 'online' });
      expect(router.route({ customerId: 'vip', dedicatedAgentId: 'm' })).toMatchObject({ agentId: 'a', reason: 'split' });
    }
  });

  it('an unknown dedicated agent is an UNKNOWN_AGENT error', () => {
    const { router } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    expect(() => router.route({ customerId: 'vip', dedicatedAgentId: 'ghost' })).toThrow(RoutingError);
    expect(() => router.route({ customerId: 'vip', dedicatedAgentId: 'ghost' })).toThrow(/dedicatedAgentId/);
  });
});
