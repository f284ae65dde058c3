import type { Decision } from '../types.js';
import type { ConversationEvent } from './events.js';

/**
 * Turns one router decision into the conversation events it stands for, so a backend's log of
 * decisions plus its own message events feeds straight into `computeMetrics`. Every event carries
 * the decision's `at` and `customerId`.
 *
 * | decision | events |
 * |---|---|
 * | `agent`, with `reroutedFrom` | `transfer` from `reroutedFrom` to `agentId` |
 * | `agent`, reason `queue` (served from the waiting queue) | `assigned` to `agentId` — the `consultation` was logged when it was queued |
 * | `agent`, otherwise | `consultation`, `assigned` to `agentId` |
 * | `robot`, with `reroutedFrom` | `assigned` to the robot |
 * | `robot`, otherwise | `consultation`, `assigned` to the robot |
 * | `queued` or `offline` | `consultation` (nobody holds it) |
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
 * ```
 */
export function toEvents(decision: Decision): ConversationEvent[] {
  const { at, customerId } = decision;
  switch (decision.kind) {
    case 'agent':
      if (decision.reroutedFrom !== undefined) {
        return [{ type: 'transfer', at, customerId, fromAgentId: decision.reroutedFrom, toAgentId: decision.agentId }];
      }
      if (decision.reason === 'queue') return [{ type: 'assigned', at, customerId, agentId: decision.agentId }];
      return [
        { type: 'consultation', at, customerId },
        { type: 'assigned', at, customerId, agentId: decision.agentId },
      ];
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
