export { Router } from './router.js';
export { RoutingError } from './errors.js';
export { DEFAULT_ORDER_STATES } from './options.js';
export { SNAPSHOT_VERSION } from './snapshot.js';

export type { RoutingErrorCode } from './errors.js';
export type { RouterOptions } from './options.js';
export type { RouterSnapshot } from './snapshot.js';
export type {
  AgentDecision,
  AgentSpec,
  AgentStatus,
  AgentView,
  Consultation,
  Decision,
  GroupSpec,
  NoAgentPolicy,
  OfflineDecision,
  QueuedDecision,
  QueuedView,
  ReceptionMode,
  RecentContact,
  RerouteReason,
  RerouteRequest,
  RobotDecision,
  SplitMode,
} from './types.js';

export { computeMetrics, toEvents, DEFAULT_RESPONSE_LADDER_MS } from './metrics/index.js';
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
  Delayed,
  EndEvent,
  EventBase,
  Figures,
  LadderStep,
  MetricsOptions,
  MetricsReport,
  OrderPaidEvent,
  OrderPlacedEvent,
  RobotReplyEvent,
  TransferEvent,
} from './metrics/index.js';

export { erlangA, erlangC, requiredAgents } from './planning/index.js';
export type {
  ErlangAInput,
  ErlangAResult,
  ErlangCInput,
  ErlangCResult,
  Staffing,
  StaffingBase,
  StaffingInput,
  StaffingTarget,
} from './planning/index.js';

export { compare, demoScenario, simulate } from './simulate/index.js';
export type {
  Abandonment,
  AgentFigures,
  AgentSeries,
  Arrivals,
  Comparison,
  ConsultationOutcome,
  CustomerMix,
  Distribution,
  KeyFigures,
  RobotBehaviour,
  Scenario,
  Shift,
  SimulateOptions,
  SimulatedAgent,
  SimulationResult,
  SimulationSeries,
  TraceArrival,
  VariantRun,
} from './simulate/index.js';
