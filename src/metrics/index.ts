/**
 * Reception metrics (接待分析): the figures of a Qianniu service dashboard, computed from a log of
 * conversation events (`fenliu/metrics`). See docs/metrics.md.
 *
 * @module
 */
export { computeMetrics } from './compute.js';
export { DEFAULT_RESPONSE_LADDER_MS } from './options.js';
export type { MetricsOptions } from './options.js';
export type { Delayed, Figures, LadderStep, MetricsReport, MetricsWarning } from './report.js';
export { toEvents } from './to-events.js';
export type { ToEventsOptions } from './to-events.js';
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
