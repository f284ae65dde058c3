import { expected } from '../errors.js';
import type { Decision } from '../types.js';
import type { ConversationEvent } from './events.js';

/** The second argument of {@link toEvents}. */
export interface ToEventsOptions {
  /**
   * The decision answers a customer's first message of the chat, sent at the decision's `at`:
   * log that `customer-message` too, after the consultation is assigned, so that the wait for a
   * reply starts with it. Pass it on the decisions of `Router.route` called for a customer's new
   * message, and log every later message yourself; do not log the first one again. Decisions of
   * re-routing and of the waiting queue (`reroutedFrom` or `waitedMs` set) open no chat and
   * get no message.
   *
   * Without any customer message in the log, no wait is ever measured: the report warns
   * (`NO_CUSTOMER_MESSAGES`).
   * @default false
   */
  firstMessage?: boolean | undefined;
}

/**
 * Turns one router decision into the conversation events it stands for, so a backend's log of
 * decisions plus its own message events feeds straight into `computeMetrics`. Every event carries
 * the decision's `at` and `customerId`.
 *
 * | decision | events |
 * |---|---|
 * | `agent`, with `reroutedFrom` | `transfer` from `reroutedFrom` to `agentId` |
 * | `agent`, with `waitedMs` (served from the waiting queue, whatever its reason) | `assigned` to `agentId` — the `consultation` was logged when it was queued |
 * | `agent`, otherwise | `consultation`, `assigned` to `agentId` |
 * | `robot`, with `reroutedFrom` | `assigned` to the robot |
 * | `robot`, otherwise | `consultation`, `assigned` to the robot |
 * | `queued` (reason `no-human` or `held`) or `offline` | `consultation` (nobody holds it) |
 *
 * An `assigned` to an agent carries the decision's `groupId` when it has one.
 *
 * A `consultation` for a customer whose conversation is still open continues that conversation
 * (it is not counted twice) and leaves it unheld until the next assignment. That is what makes a
 * robot escalation (a fresh `agent` decision for a customer the robot holds) and a re-routing into
 * the queue come out right without `toEvents` having to remember anything. The backend logs the
 * `end` of each conversation itself.
 *
 * @example
 * ```ts
 * toEvents({ kind: 'agent', customerId: 'c1', at: 1000, agentId: 'a1', reason: 'split' });
 * // [{ type: 'consultation', at: 1000, customerId: 'c1' },
 * //  { type: 'assigned', at: 1000, customerId: 'c1', agentId: 'a1' }]
 * toEvents({ kind: 'queued', customerId: 'c2', at: 2000, position: 1, reason: 'no-human' }, { firstMessage: true });
 * // [{ type: 'consultation', at: 2000, customerId: 'c2' },
 * //  { type: 'customer-message', at: 2000, customerId: 'c2' }]
 * ```
 *
 * @throws {RoutingError} `INVALID_ARGUMENT` when `decision` is not one of the router's decisions;
 *   `INVALID_OPTION` when `options` is not an object of known options.
 */
export function toEvents(decision: Decision, options: ToEventsOptions = {}): ConversationEvent[] {
  const kind = typeof decision === 'object' && decision !== null ? (decision as { kind?: unknown }).kind : undefined;
  if (kind !== 'agent' && kind !== 'robot' && kind !== 'queued' && kind !== 'offline') {
    throw expected('INVALID_ARGUMENT', 'decision', "a Decision of the router (kind 'agent', 'robot', 'queued' or 'offline')", kind === undefined ? decision : kind);
  }
  const events = decisionEvents(decision);
  if (readFirstMessage(options) && events[0]?.type === 'consultation' && decision.reroutedFrom === undefined) {
    events.push({ type: 'customer-message', at: decision.at, customerId: decision.customerId });
  }
  return events;
}

function readFirstMessage(options: ToEventsOptions): boolean {
  if (typeof options !== 'object' || options === null) throw expected('INVALID_OPTION', 'options', 'an object', options);
  for (const key in options) {
    if (key !== 'firstMessage') throw expected('INVALID_OPTION', `options.${key}`, 'a known option (firstMessage)', (options as Record<string, unknown>)[key]);
  }
  const { firstMessage } = options;
  if (firstMessage !== undefined && typeof firstMessage !== 'boolean') throw expected('INVALID_OPTION', 'options.firstMessage', 'a boolean', firstMessage);
  return firstMessage === true;
}

function decisionEvents(decision: Decision): ConversationEvent[] {
  const { at, customerId } = decision;
  switch (decision.kind) {
    case 'agent': {
      if (decision.reroutedFrom !== undefined) {
        return [{ type: 'transfer', at, customerId, fromAgentId: decision.reroutedFrom, toAgentId: decision.agentId }];
      }
      const { groupId } = decision;
      const assigned: ConversationEvent = groupId === undefined
        ? { type: 'assigned', at, customerId, agentId: decision.agentId }
        : { type: 'assigned', at, customerId, agentId: decision.agentId, groupId };
      if (decision.waitedMs !== undefined) return [assigned];
      return [{ type: 'consultation', at, customerId }, assigned];
    }
    case 'robot':
      if (decision.reroutedFrom !== undefined) return [{ type: 'assigned', at, customerId, robot: true }];
      return [
        { type: 'consultation', at, customerId },
        { type: 'assigned', at, customerId, robot: true },
      ];
    case 'queued':
    case 'offline':
      return [{ type: 'consultation', at, customerId }];
  }
}
