import { describe, expect, it } from 'vitest';
import { shop } from '../helpers.js';

describe('rule 1: nobody online', () => {
  it('queues when no agent is online or suspended and the shop has no robot', () => {
    const { router } = shop();
    router.upsertAgent({ id: 'a', status: 'offline' });
    const d = router.route({ customerId: 'c1' });
    expect(d).toMatchObject({ kind: 'queued', position: 1, reason: 'no-human' });
  });

  it('sends an offline message to the main account, saying nobody was online', () => {
    const { router } = shop({ noAgent: 'main', mainAccountId: 'boss' });
    expect(router.route({ customerId: 'c1' })).toMatchObject({ kind: 'offline', accountId: 'boss', reason: 'nobody-online' });
  });

  it('sends an offline message to the proxy account when configured', () => {
    const { router } = shop({ noAgent: 'proxy', proxyAccountId: 'night-desk', mainAccountId: 'boss' });
    expect(router.route({ customerId: 'c1' })).toMatchObject({ kind: 'offline', accountId: 'night-desk', reason: 'nobody-online' });
  });

  it('gives it to the robot when the shop has one, even in human-first mode', () => {
    const { router } = shop({ robot: true });
    expect(router.route({ customerId: 'c1' })).toMatchObject({ kind: 'robot', reason: 'no-human' });
  });

  it('tries nothing else: a recent contact or dedicated agent who is offline does not matter', () => {
    const { router, tick } = shop({ noAgent: 'main', mainAccountId: 'boss' });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.route({ customerId: 'c1' });
    router.end('c1', tick());
    router.setStatus('a', 'offline', tick());
    const d = router.route({ customerId: 'c1', dedicatedAgentId: 'a', recentContacts: [{ agentId: 'a', at: 0 }] });
    expect(d).toMatchObject({ kind: 'offline', reason: 'nobody-online' });
  });

  it('a suspended agent counts as online: offline as no-human, not as nobody-online', () => {
    const { router } = shop({ noAgent: 'main', mainAccountId: 'boss' });
    router.upsertAgent({ id: 'a', status: 'suspended' });
    expect(router.route({ customerId: 'c1' })).toMatchObject({ kind: 'offline', reason: 'no-human' });
  });
});
