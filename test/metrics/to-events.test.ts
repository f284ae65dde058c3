import { describe, expect, it } from 'vitest';
import { Router } from '../../src/router.js';
import { computeMetrics, toEvents } from '../../src/metrics/index.js';
import type { ConversationEvent } from '../../src/metrics/index.js';
import type { Decision } from '../../src/types.js';
import { at } from './helpers.js';

describe('toEvents', () => {
  const base = { customerId: 'c1', at: 1_000 };

  it('opens and assigns a first decision', () => {
    expect(toEvents({ ...base, kind: 'agent', agentId: 'a1', reason: 'split' })).toEqual([
      { type: 'consultation', at: 1_000, customerId: 'c1' },
      { type: 'assigned', at: 1_000, customerId: 'c1', agentId: 'a1' },
    ]);
    expect(toEvents({ ...base, kind: 'robot', reason: 'robot-first' })).toEqual([
      { type: 'consultation', at: 1_000, customerId: 'c1' },
      { type: 'assigned', at: 1_000, customerId: 'c1', robot: true },
    ]);
  });

  it('opens without assigning a queued or offline decision', () => {
    const opened = [{ type: 'consultation', at: 1_000, customerId: 'c1' }];
    expect(toEvents({ ...base, kind: 'queued', position: 1, reason: 'no-human' })).toEqual(opened);
    expect(toEvents({ ...base, kind: 'offline', accountId: 'main', reason: 'nobody-online' })).toEqual(opened);
  });

  it('only assigns a consultation served from the queue', () => {
    expect(toEvents({ ...base, kind: 'agent', agentId: 'a2', reason: 'queue' })).toEqual([
      { type: 'assigned', at: 1_000, customerId: 'c1', agentId: 'a2' },
    ]);
  });

  it('turns a re-routing into a transfer (or a hand-over to the robot)', () => {
    expect(toEvents({ ...base, kind: 'agent', agentId: 'a2', reason: 'transfer', reroutedFrom: 'a1' })).toEqual([
      { type: 'transfer', at: 1_000, customerId: 'c1', fromAgentId: 'a1', toAgentId: 'a2' },
    ]);
    expect(toEvents({ ...base, kind: 'robot', reason: 'no-human', reroutedFrom: 'a1' })).toEqual([
      { type: 'assigned', at: 1_000, customerId: 'c1', robot: true },
    ]);
  });
});

describe('router decisions plus messages', () => {
  it('feed computeMetrics', () => {
    const router = new Router({ robot: true, receptionMode: 'human-first', clock: () => 0 });
    const log: ConversationEvent[] = [];
    const record = (...decisions: Decision[]): void => {
      for (const decision of decisions) log.push(...toEvents(decision));
    };
    const message = (event: ConversationEvent): void => {
      log.push(event);
    };

    record(...router.upsertAgent({ id: 'a1', status: 'online' }, at(0, 8)));
    record(...router.upsertAgent({ id: 'a2', status: 'online' }, at(0, 8)));
    // c1 goes to one agent, writes at 09:00, gets an answer at 09:00:30.
    const first = router.route({ customerId: 'c1', at: at(0, 9) });
    record(first);
    const a = first.kind === 'agent' ? first.agentId : 'none';
    message({ type: 'customer-message', at: at(0, 9), customerId: 'c1' });
    message({ type: 'agent-reply', at: at(0, 9, 0, 30), customerId: 'c1', agentId: a });
    // c1 writes again at 09:01; the agent transfers it to the other one, who answers at 09:03.
    message({ type: 'customer-message', at: at(0, 9, 1), customerId: 'c1' });
    const b = a === 'a1' ? 'a2' : 'a1';
    record(...router.reroute('c1', { reason: 'transfer', toAgentId: b, at: at(0, 9, 2) }));
    message({ type: 'agent-reply', at: at(0, 9, 3), customerId: 'c1', agentId: b });
    record(...router.end('c1', at(0, 9, 10)));
    message({ type: 'end', at: at(0, 9, 10), customerId: 'c1' });

    const { shop, agents } = computeMetrics(log);
    // One customer; waits 30 s (first agent) and 120 s (09:01 → 09:03, second agent, slow).
    expect(shop).toMatchObject({ consultations: 1, receptions: 1, replyRate: 1, firstResponseTimeMs: 30_000, avgResponseTimeMs: 75_000, slowResponses: 1 });
    expect(agents.get(a)).toMatchObject({ receptions: 1, firstResponseTimeMs: 30_000, slowResponses: 0 });
    expect(agents.get(b)).toMatchObject({ receptions: 1, firstResponseTimeMs: 120_000, slowResponses: 1 });
  });
});
