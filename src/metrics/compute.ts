import { expected } from '../errors.js';
import type { RoutingError } from '../errors.js';
import { MetricsEngine } from './engine.js';
import type { ConversationEvent } from './events.js';
import { resolveOptions } from './options.js';
import type { MetricsOptions } from './options.js';
import type { MetricsReport } from './report.js';
import { validateEvent } from './validate-event.js';

/**
 * Computes the reception dashboard (接待分析) — for the shop and for each agent — from a log of
 * conversation events, in one pass, keeping only the customers still in flight.
 *
 * The log must be in time order (non-decreasing `at`); it may be any iterable, e.g. a generator
 * reading a file. A malformed or out-of-order event throws a {@link RoutingError} with code
 * `INVALID_EVENT` naming the event's index and field, and no report is returned.
 *
 * @example
 * ```ts
 * const report = computeMetrics([
 *   { type: 'consultation', at: 0, customerId: 'c1' },
 *   { type: 'assigned', at: 0, customerId: 'c1', agentId: 'a1' },
 *   { type: 'customer-message', at: 1_000, customerId: 'c1' },
 *   { type: 'agent-reply', at: 31_000, customerId: 'c1', agentId: 'a1' },
 * ]);
 * report.shop.firstResponseTimeMs; // 30000
 * report.agents.get('a1')?.replyRate; // 1
 * ```
 *
 * @throws {RoutingError} `INVALID_OPTION` for a bad option, `INVALID_EVENT` for a bad event.
 */
export function computeMetrics(events: Iterable<ConversationEvent>, options: MetricsOptions = {}): MetricsReport {
  const resolved = resolveOptions(options);
  if (events === null || typeof events !== 'object' || typeof (events as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw expected('INVALID_ARGUMENT', 'events', 'an iterable of events', events);
  }
  const engine = new MetricsEngine(resolved);
  let index = 0;
  let previousAt = -Infinity;
  for (const raw of events as Iterable<unknown>) {
    const event = validateEvent(raw, index, previousAt, resolved.asOf);
    engine.apply(event, index);
    previousAt = event.at;
    index++;
  }
  return engine.finish(resolved.asOf ?? previousAt);
}

