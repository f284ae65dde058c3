import { describe, expect, it } from 'vitest';
import { Router } from '../../src/router.js';
import { computeMetrics, toEvents } from '../../src/metrics/index.js';
import type { ConversationEvent, MetricsReport } from '../../src/metrics/index.js';
import type { RoutingError } from '../../src/errors.js';
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

  it('only assigns a consultation served from the queue, whatever rule placed it', () => {
    for (const reason of ['split', 'recent-contact', 'overflow'] as const) {
      expect(toEvents({ ...base, kind: 'agent', agentId: 'a2', reason, waitedMs: 30_000 })).toEqual([
        { type: 'assigned', at: 1_000, customerId: 'c1', agentId: 'a2' },
      ]);
    }
  });

  it('opens without assigning a consultation held for its recent contact', () => {
    expect(toEvents({ ...base, kind: 'queued', position: 1, reason: 'held', heldFor: 'a1' })).toEqual([{ type: 'consultation', at: 1_000, customerId: 'c1' }]);
  });

  it('turns an answer timeout, a decline or an agent going offline into a transfer', () => {
    for (const rerouteReason of ['timeout', 'declined', 'offline', 'removed'] as const) {
      expect(toEvents({ ...base, kind: 'agent', agentId: 'a2', reason: 'split', reroutedFrom: 'a1', rerouteReason })).toEqual([
        { type: 'transfer', at: 1_000, customerId: 'c1', fromAgentId: 'a1', toAgentId: 'a2' },
      ]);
    }
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

describe('toEvents with firstMessage', () => {
  const base = { customerId: 'c1', at: 1_000 };
  const message = { type: 'customer-message', at: 1_000, customerId: 'c1' };

  it('logs the opening message after the assignment of a decision that opens a chat', () => {
    expect(toEvents({ ...base, kind: 'agent', agentId: 'a1', reason: 'split' }, { firstMessage: true })).toEqual([
      { type: 'consultation', at: 1_000, customerId: 'c1' },
      { type: 'assigned', at: 1_000, customerId: 'c1', agentId: 'a1' },
      message,
    ]);
    expect(toEvents({ ...base, kind: 'robot', reason: 'robot-first' }, { firstMessage: true }).at(-1)).toEqual(message);
    expect(toEvents({ ...base, kind: 'queued', position: 1, reason: 'no-human' }, { firstMessage: true })).toEqual([
      { type: 'consultation', at: 1_000, customerId: 'c1' },
      message,
    ]);
    expect(toEvents({ ...base, kind: 'offline', accountId: 'main', reason: 'nobody-online' }, { firstMessage: true })).toEqual([
      { type: 'consultation', at: 1_000, customerId: 'c1' },
      message,
    ]);
  });

  it('adds nothing to decisions that open no chat: re-routings and the queue', () => {
    const decisions: Decision[] = [
      { ...base, kind: 'agent', agentId: 'a2', reason: 'split', waitedMs: 5_000 },
      { ...base, kind: 'agent', agentId: 'a2', reason: 'transfer', reroutedFrom: 'a1' },
      { ...base, kind: 'robot', reason: 'no-human', reroutedFrom: 'a1' },
      { ...base, kind: 'queued', position: 2, reason: 'no-human', reroutedFrom: 'a1' },
    ];
    for (const decision of decisions) {
      expect(toEvents(decision, { firstMessage: true })).toEqual(toEvents(decision));
    }
  });

  it('is off by default and with firstMessage: false', () => {
    const decision: Decision = { ...base, kind: 'agent', agentId: 'a1', reason: 'split' };
    expect(toEvents(decision, { firstMessage: false })).toEqual(toEvents(decision));
    expect(toEvents(decision).some((e) => e.type === 'customer-message')).toBe(false);
  });

  it('refuses bad options with INVALID_OPTION', () => {
    const decision: Decision = { ...base, kind: 'agent', agentId: 'a1', reason: 'split' };
    const refused = (options: unknown): unknown => {
      try {
        toEvents(decision, options as never);
      } catch (error) {
        return { code: (error as RoutingError).code, field: (error as RoutingError).field };
      }
      return 'accepted';
    };
    expect(refused({ firstMesage: true })).toEqual({ code: 'INVALID_OPTION', field: 'options.firstMesage' });
    expect(refused({ firstMessage: 'yes' })).toEqual({ code: 'INVALID_OPTION', field: 'options.firstMessage' });
    expect(refused(null)).toEqual({ code: 'INVALID_OPTION', field: 'options' });
  });
});

describe('a log of decisions without the customers\' messages', () => {
  // The trap: agents reply, but nobody logged what the customers wrote.
  function shop(firstMessage: boolean): MetricsReport {
    const router = new Router({ clock: () => 0 });
    const log: ConversationEvent[] = [];
    for (const d of router.upsertAgent({ id: 'a1', status: 'online' }, at(0, 8))) log.push(...toEvents(d));
    const decision = router.route({ customerId: 'c1', at: at(0, 9) });
    log.push(...toEvents(decision, { firstMessage }));
    log.push({ type: 'agent-reply', at: at(0, 9, 3), customerId: 'c1', agentId: 'a1' });
    return computeMetrics(log);
  }

  it('is reported with a NO_CUSTOMER_MESSAGES warning', () => {
    const report = shop(false);
    expect(report.shop.replyRate).toBe(1);
    expect(report.shop.responseLadder[0]?.rate).toBe(0);
    expect(report.warnings.map((w) => w.code)).toEqual(['NO_CUSTOMER_MESSAGES']);
    expect(report.warnings[0]?.message).toContain('firstMessage');
  });

  it('measures the first wait once toEvents logs the opening message', () => {
    const report = shop(true);
    expect(report.warnings).toEqual([]);
    expect(report.shop.firstResponseTimeMs).toBe(3 * 60_000);
    expect(report.shop.responseLadder.map((step) => step.rate)).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(report.agents.get('a1')?.customerMessages).toBe(1);
  });

  it('gives no warning for a log without receptions', () => {
    expect(computeMetrics([]).warnings).toEqual([]);
    const filteredOnly = computeMetrics([{ type: 'consultation', at: 0, customerId: 'spam', filtered: true }]);
    expect(filteredOnly.shop.consultations).toBe(1);
    expect(filteredOnly.warnings).toEqual([]);
  });
});
