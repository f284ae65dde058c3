/**
 * Reception metrics (接待分析): the figures of a Qianniu service dashboard, computed from a log of
 * conversation events. See docs/metrics.md.
 *
 * @module
 */
export { computeMetrics, DEFAULT_RESPONSE_LADDER_MS } from './compute.js';
export type { Delayed, Figures, LadderStep, MetricsOptions, MetricsReport } from './compute.js';
export { toEvents } from './to-events.js';
export type {
  AgentReplyEvent,
  AssignedEvent,
  AssignedToAgentEvent,
  AssignedToRobotEvent,
  AutoReplyEvent,
  ConsultationEvent,
  ConversationEvent,
  ConversationEventType,
  CustomerMessageEvent,
  EndEvent,
  EventBase,
  OrderPaidEvent,
  OrderPlacedEvent,
  RobotReplyEvent,
  TransferEvent,
} from './events.js';
