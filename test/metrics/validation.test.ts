import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/errors.js';
import { computeMetrics } from '../../src/metrics/index.js';
import type { ConversationEvent, MetricsOptions } from '../../src/metrics/index.js';
import { thrown as failure } from '../helpers.js';

const ok: ConversationEvent[] = [
  { type: 'consultation', at: 1_000, customerId: 'c1' },
  { type: 'assigned', at: 1_000, customerId: 'c1', agentId: 'a1' },
  { type: 'customer-message', at: 2_000, customerId: 'c1' },
];


/** Computes `ok` followed by one bad event (index 3). */
const withBad = (bad: unknown): RoutingError => failure(() => computeMetrics([...ok, bad] as ConversationEvent[]));

describe('malformed events', () => {
  it('names the index and field of a bad time', () => {
    const error = withBad({ type: 'agent-reply', at: NaN, customerId: 'c1', agentId: 'a1' });
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.field).toBe('events[3].at');
    expect(error.message).toBe('Expected `events[3].at` to be a time in ms within ±8640000000000000 (a Date\'s range), got NaN (number)');
  });

  it.each([
    [null, 'events[3]', 'an object'],
    [{ type: 'message', at: 3_000, customerId: 'c1' }, 'events[3].type', "one of 'consultation'"],
    [{ type: 'end', at: '3000', customerId: 'c1' }, 'events[3].at', 'a time in ms within ±8640000000000000 (a Date\'s range), got "3000" (string)'],
    [{ type: 'end', at: 3_000, customerId: '' }, 'events[3].customerId', 'a non-empty string'],
    [{ type: 'end', at: 3_000 }, 'events[3].customerId', 'got undefined'],
    [{ type: 'agent-reply', at: 3_000, customerId: 'c1' }, 'events[3].agentId', 'a non-empty string'],
    [{ type: 'assigned', at: 3_000, customerId: 'c1' }, 'events[3].agentId', 'or `robot: true`'],
    [{ type: 'assigned', at: 3_000, customerId: 'c1', robot: true, agentId: 'a1' }, 'events[3].agentId', 'undefined with `robot: true`'],
    [{ type: 'assigned', at: 3_000, customerId: 'c1', robot: 'yes', agentId: 'a1' }, 'events[3].robot', 'a boolean'],
    [{ type: 'consultation', at: 3_000, customerId: 'c2', filtered: 1 }, 'events[3].filtered', 'a boolean'],
    [{ type: 'transfer', at: 3_000, customerId: 'c1', fromAgentId: 'a1' }, 'events[3].toAgentId', 'a non-empty string'],
    [{ type: 'order-placed', at: 3_000, customerId: 'c1' }, 'events[3].orderId', 'a non-empty string'],
    [{ type: 'order-paid', at: 3_000, customerId: 'c1', orderId: 'o1', amount: -5, units: 1 }, 'events[3].amount', 'a number in [0, 1000000000000000], got -5 (number)'],
    [{ type: 'order-paid', at: 3_000, customerId: 'c1', orderId: 'o1', amount: 1e308, units: 1 }, 'events[3].amount', 'a number in [0, 1000000000000000], got 1e+308 (number)'],
    [{ type: 'end', at: 1e308, customerId: 'c1' }, 'events[3].at', 'a time in ms within ±8640000000000000 (a Date\'s range), got 1e+308 (number)'],
    [{ type: 'order-paid', at: 3_000, customerId: 'c1', orderId: 'o1', amount: 5, units: 1.5 }, 'events[3].units', 'an integer >= 0, got 1.5 (number)'],
    [{ type: 'auto-reply', at: 3_000, customerId: 'c1', agentId: 7 }, 'events[3].agentId', 'got 7 (number)'],
  ])('rejects %j at %s', (bad, field, fragment) => {
    const error = withBad(bad);
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.field).toBe(field);
    expect(error.message).toContain(`Expected \`${field}\` to be`);
    expect(error.message).toContain(fragment);
  });

  it('rejects the first event out of time order, by index', () => {
    const error = withBad({ type: 'end', at: 1_500, customerId: 'c1' });
    expect(error.field).toBe('events[3].at');
    expect(error.message).toBe(
      'Expected `events[3].at` to be at least 2000 (the time of events[2]): events must be in time order, got 1500 (number)',
    );
    // Equal times are in order.
    expect(() => computeMetrics([...ok, { type: 'end', at: 2_000, customerId: 'c1' }])).not.toThrow();
  });

  it('rejects a conversation event without an open consultation', () => {
    const error = failure(() => computeMetrics([{ type: 'agent-reply', at: 1, customerId: 'c9', agentId: 'a1' }]));
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.field).toBe('events[0].customerId');
    expect(error.message).toContain("a customer with an open consultation (a 'agent-reply' event needs one)");
    // …and after its end.
    const afterEnd = failure(() =>
      computeMetrics([...ok, { type: 'end', at: 3_000, customerId: 'c1' }, { type: 'customer-message', at: 4_000, customerId: 'c1' }]),
    );
    expect(afterEnd.field).toBe('events[4].customerId');
  });

  it('accepts orders from customers who never consulted', () => {
    const { shop } = computeMetrics([{ type: 'order-paid', at: 1, customerId: 'c9', orderId: 'o', amount: 5, units: 1 }]);
    expect(shop).toMatchObject({ salesAmount: 0, buyers: 0 });
  });

  it('rejects events later than asOf', () => {
    const error = failure(() => computeMetrics(ok, { asOf: 1_500 }));
    expect(error.field).toBe('events[2].at');
    expect(error.message).toContain('at most 1500 (options.asOf)');
  });

  it('returns nothing half-counted: a bad event late in a stream throws', () => {
    let read = 0;
    function* stream(): Generator<ConversationEvent> {
      for (const event of ok) {
        read++;
        yield event;
      }
      read++;
      yield { type: 'customer-message', at: Infinity, customerId: 'c1' };
    }
    expect(() => computeMetrics(stream())).toThrow(RoutingError);
    expect(read).toBe(4);
  });

  it('rejects a non-iterable log', () => {
    const error = failure(() => computeMetrics(42 as unknown as ConversationEvent[]));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('Expected `events` to be an iterable of events, got 42 (number)');
  });
});

describe('options', () => {
  it.each<[MetricsOptions, string]>([
    [{ slowResponseMs: -1 }, 'options.slowResponseMs'],
    [{ slowResponseMs: Infinity }, 'options.slowResponseMs'],
    [{ maxWaitMs: NaN }, 'options.maxWaitMs'],
    [{ from: NaN }, 'options.from'],
    [{ from: 10, to: 5 }, 'options.to'],
    [{ asOf: Infinity }, 'options.asOf'],
    [{ timeZoneOffsetMs: Number.NaN }, 'options.timeZoneOffsetMs'],
    [{ responseLadderMs: [60_000, 60_000] }, 'options.responseLadderMs[1]'],
    [{ responseLadderMs: [-1] }, 'options.responseLadderMs[0]'],
    [{ responseLadderMs: [60_000, , 120_000] as number[] }, 'options.responseLadderMs[1]'],
    [{ responseLadderMs: 60_000 as unknown as number[] }, 'options.responseLadderMs'],
    [{ slowMs: 5 } as MetricsOptions, 'options.slowMs'],
  ])('rejects %j', (options, field) => {
    const error = failure(() => computeMetrics(ok, options));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^Expected `options\./);
  });

  it('names the known options beside an unknown one', () => {
    const error = failure(() => computeMetrics(ok, { slowMs: 5 } as MetricsOptions));
    expect(error.message).toBe('Expected `options.slowMs` to be a known option (from, to, slowResponseMs, maxWaitMs, responseLadderMs, asOf, timeZoneOffsetMs), got 5 (number)');
  });

  it('accepts an empty ladder', () => {
    expect(computeMetrics(ok, { responseLadderMs: [] }).shop.responseLadder).toEqual([]);
  });
});
