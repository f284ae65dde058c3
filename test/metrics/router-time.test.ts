import { describe, expect, it } from 'vitest';
import { Router } from '../../src/router.js';
import type { RouterOptions } from '../../src/options.js';
import { computeMetrics, toEvents } from '../../src/metrics/index.js';
import type { ConversationEvent } from '../../src/metrics/index.js';
import type { Decision } from '../../src/types.js';
import { at, SECOND } from './helpers.js';

// A backend that logs what it tells the router and what the router decides — the decisions of
// advance() included — and hands the log to computeMetrics: the figures must come out as a person
// reading the chat would count them, whatever the deadlines did in between.
function backend(options: RouterOptions) {
  const router = new Router({ ...options, clock: () => 0 });
  const log: ConversationEvent[] = [];
  const decisions: Decision[] = [];
  const record = (made: Decision[], firstMessage = false): Decision[] => {
    for (const d of made) log.push(...toEvents(d, { firstMessage }));
    decisions.push(...made);
    return made;
  };
  return {
    router,
    log,
    decisions,
    online: (id: string, time: number, spec: { cap?: number; groups?: string[] } = {}) => record(router.upsertAgent({ id, status: 'online', ...spec }, time)),
    /** A customer's first message opens the chat. */
    open: (customerId: string, time: number, orderState?: string) =>
      record([router.route({ customerId, at: time, ...(orderState === undefined ? {} : { orderState }) })], true)[0] as Decision,
    message: (customerId: string, time: number) => {
      router.customerMessage(customerId, time);
      log.push({ type: 'customer-message', at: time, customerId });
    },
    reply: (customerId: string, time: number) => {
      const agentId = router.consultation(customerId)?.agentId as string;
      router.agentReply(customerId, time);
      log.push({ type: 'agent-reply', at: time, customerId, agentId });
      return agentId;
    },
    advance: (time: number) => record(router.advance(time)),
    end: (customerId: string, time: number) => {
      record(router.end(customerId, time));
      log.push({ type: 'end', at: time, customerId });
    },
  };
}

const count = (log: readonly ConversationEvent[], type: ConversationEvent['type']): number => log.filter((e) => e.type === type).length;

describe('metrics of a run with answer timeouts', () => {
  it('counts the first response from the first message when a timed-out chat is answered by the next agent, and logs one transfer', () => {
    const shop = backend({ answerTimeoutMs: 60 * SECOND });
    const t0 = at(0, 9);
    shop.online('ahua', t0);
    shop.online('xiaomei', t0);
    expect(shop.open('buyer-1', t0)).toMatchObject({ kind: 'agent', agentId: 'ahua' });
    shop.message('buyer-1', t0 + 20 * SECOND); // asks again; the wait started with the first message

    // Deadlines fire only in advance(): nothing before the deadline, the re-route at it.
    expect(shop.advance(t0 + 59 * SECOND)).toEqual([]);
    expect(shop.advance(t0 + 60 * SECOND)).toEqual([{
      kind: 'agent', customerId: 'buyer-1', at: t0 + 60 * SECOND, agentId: 'xiaomei', reason: 'split', reroutedFrom: 'ahua', rerouteReason: 'timeout',
    }]);
    expect(shop.reply('buyer-1', t0 + 75 * SECOND)).toBe('xiaomei');
    expect(shop.advance(t0 + 10 * 60 * SECOND)).toEqual([]); // answered: no deadline left
    shop.end('buyer-1', t0 + 11 * 60 * SECOND);

    expect(count(shop.log, 'consultation')).toBe(1);
    expect(shop.log.filter((e) => e.type === 'transfer')).toEqual([
      { type: 'transfer', at: t0 + 60 * SECOND, customerId: 'buyer-1', fromAgentId: 'ahua', toAgentId: 'xiaomei' },
    ]);
    const { shop: figures, agents, warnings } = computeMetrics(shop.log);
    expect(warnings).toEqual([]);
    expect(figures.consultations).toBe(1);
    expect(figures.receptions).toBe(1);
    expect(figures.firstResponseTimeMs).toBe(75 * SECOND); // from the first message, not from the transfer
    expect(figures.slowResponses).toBe(1); // 75 s > the 60 s default
    expect(figures.replyRate).toBe(1);
    // Both agents served the customer; the wait, and the reply, are xiaomei's.
    expect(agents.get('ahua')).toMatchObject({ receptions: 1, repliedCustomers: 0, firstResponseTimeMs: null, slowResponses: 0 });
    expect(agents.get('xiaomei')).toMatchObject({ receptions: 1, repliedCustomers: 1, firstResponseTimeMs: 75 * SECOND, slowResponses: 1 });
  });

  it('logs a timeout with nobody else to take the chat as a wait in the queue, not a transfer, and counts the customer once', () => {
    const shop = backend({ answerTimeoutMs: 30 * SECOND });
    const t0 = at(0, 10);
    shop.online('solo', t0);
    shop.open('buyer-1', t0);
    const [back] = shop.advance(t0 + 30 * SECOND);
    // Never back to the agent who missed it: it waits (keeping its arrival time) and is held by nobody.
    expect(back).toEqual({ kind: 'queued', customerId: 'buyer-1', at: t0 + 30 * SECOND, position: 1, reason: 'no-human', reroutedFrom: 'solo', rerouteReason: 'timeout' });
    expect(toEvents(back as Decision)).toEqual([{ type: 'consultation', at: t0 + 30 * SECOND, customerId: 'buyer-1' }]);
    shop.message('buyer-1', t0 + 40 * SECOND); // still waiting: counts for nobody, and the wait goes on
    const [served] = shop.online('next', t0 + 90 * SECOND);
    expect(served).toEqual({ kind: 'agent', customerId: 'buyer-1', at: t0 + 90 * SECOND, agentId: 'next', reason: 'split', waitedMs: 60 * SECOND });
    expect(shop.reply('buyer-1', t0 + 100 * SECOND)).toBe('next');
    shop.end('buyer-1', t0 + 5 * 60 * SECOND);

    expect(count(shop.log, 'transfer')).toBe(0);
    expect(shop.log.filter((e) => e.type === 'assigned').map((e) => e.type === 'assigned' && e.agentId)).toEqual(['solo', 'next']);
    const { shop: figures, agents } = computeMetrics(shop.log);
    expect(figures.consultations).toBe(1);
    expect(figures.firstResponseTimeMs).toBe(100 * SECOND);
    expect(agents.get('next')).toMatchObject({ receptions: 1, repliedCustomers: 1, firstResponseTimeMs: 100 * SECOND });
    expect(agents.get('solo')).toMatchObject({ receptions: 1, repliedCustomers: 0, customerMessages: 1 }); // the first message was sent to solo
  });

  it('keeps the log in time order when advance comes late: the decision is at the latest time seen', () => {
    const shop = backend({ answerTimeoutMs: 60 * SECOND });
    const t0 = at(0, 11);
    shop.online('ahua', t0);
    shop.online('xiaomei', t0);
    shop.open('buyer-1', t0); // ahua, to answer by t0 + 60 s
    shop.open('buyer-2', t0 + 90 * SECOND); // before the late advance: ahua still holds buyer-1
    const late = shop.advance(t0 + 95 * SECOND);
    // Not at the deadline (t0 + 60 s): the log already holds an event at t0 + 90 s.
    expect(late).toEqual([{ kind: 'agent', customerId: 'buyer-1', at: t0 + 90 * SECOND, agentId: 'xiaomei', reason: 'split', reroutedFrom: 'ahua', rerouteReason: 'timeout' }]);
    shop.reply('buyer-1', t0 + 100 * SECOND);
    shop.reply('buyer-2', t0 + 100 * SECOND);
    shop.end('buyer-1', t0 + 120 * SECOND);
    shop.end('buyer-2', t0 + 120 * SECOND);

    for (let i = 1; i < shop.log.length; i++) expect((shop.log[i] as ConversationEvent).at).toBeGreaterThanOrEqual((shop.log[i - 1] as ConversationEvent).at);
    const { shop: figures, agents } = computeMetrics(shop.log);
    expect(figures.consultations).toBe(2);
    expect(count(shop.log, 'transfer')).toBe(1);
    expect(agents.get('xiaomei')).toMatchObject({ receptions: 2, firstResponseTimeMs: (100 * SECOND + 10 * SECOND) / 2 });
    expect(figures.avgResponseTimeMs).toBe((100 * SECOND + 10 * SECOND) / 2); // buyer-1 from t0, buyer-2 from t0 + 90 s
  });
});

describe('metrics of overflow and holds', () => {
  it('counts an overflow like any assignment and a held customer once, assigned when its agent frees', () => {
    const shop = backend({
      holdForRecentContactMs: 120 * SECOND,
      groups: [
        { id: 'pre-sales', orderStates: ['none'], overflow: [{ afterMs: 60 * SECOND, to: ['after-sales'] }] },
        { id: 'after-sales', orderStates: ['shipped'] },
      ],
    });
    const t0 = at(0, 14);
    shop.online('pre', t0, { cap: 1, groups: ['pre-sales'] });
    shop.online('post', t0, { cap: 2, groups: ['after-sales'] });
    shop.open('regular', t0); // pre
    shop.reply('regular', t0 + 5 * SECOND);
    expect(shop.open('waiting', t0 + 10 * SECOND)).toMatchObject({ kind: 'queued', reason: 'no-human' });
    const [widened] = shop.advance(t0 + 70 * SECOND);
    expect(widened).toMatchObject({ kind: 'agent', customerId: 'waiting', agentId: 'post', reason: 'overflow', groupId: 'after-sales', waitedMs: 60 * SECOND });
    shop.reply('waiting', t0 + 80 * SECOND);

    // 'regular' comes back while pre is at cap (pre serves 'other'): held for pre, then served by pre.
    shop.end('regular', t0 + 90 * SECOND);
    shop.open('other', t0 + 91 * SECOND);
    const held = shop.open('regular', t0 + 100 * SECOND);
    expect(held).toMatchObject({ kind: 'queued', reason: 'held', heldFor: 'pre' });
    const [freed] = madeBy(shop, () => shop.end('other', t0 + 130 * SECOND));
    expect(freed).toMatchObject({ kind: 'agent', customerId: 'regular', agentId: 'pre', reason: 'recent-contact', waitedMs: 30 * SECOND });
    shop.reply('regular', t0 + 140 * SECOND);
    shop.end('regular', t0 + 150 * SECOND);
    shop.end('waiting', t0 + 150 * SECOND);

    expect(count(shop.log, 'transfer')).toBe(0);
    const { shop: figures, agents } = computeMetrics(shop.log);
    expect(figures.consultations).toBe(3); // regular (twice the same day: once), waiting, other
    expect(agents.get('post')).toMatchObject({ receptions: 1, firstResponseTimeMs: 70 * SECOND });
    expect(agents.get('pre')?.receptions).toBe(2); // regular and other
    // regular's second wait ran from its message at +100 s, through the hold, to pre's reply at +140 s.
    expect(figures.avgResponseTimeMs).toBe((5 + 70 + 40) * SECOND / 3);
  });
});

/** The decisions a backend call recorded, for a call that returns nothing itself. */
function madeBy(shop: ReturnType<typeof backend>, call: () => void): Decision[] {
  const before = shop.decisions.length;
  call();
  return shop.decisions.slice(before);
}
