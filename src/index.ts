/**
 * fenliu: customer-service chat routing (客服分流). This entry is the routing surface — the
 * `Router`, its decisions and its errors. Reception metrics, simulation and capacity planning are
 * the subpaths `fenliu/metrics`, `fenliu/simulate` and `fenliu/planning`; the Redis adapter is
 * `fenliu/redis`.
 *
 * @module
 */
export { Router } from './router.js';
export { RoutingError } from './errors.js';
export { DEFAULT_ORDER_STATES } from './options.js';
export { SNAPSHOT_VERSION } from './snapshot.js';

export type { RoutingErrorCode } from './errors.js';
export type { RouterOptions } from './options.js';
export type { RouterSnapshot } from './snapshot.js';
export type { BusinessHoursSpec, Weekday } from './time/business-hours.js';
export type {
  AgentDecision,
  AgentSpec,
  AgentStatus,
  AgentView,
  Consultation,
  ConsultationView,
  Decision,
  GroupSpec,
  NoAgentPolicy,
  OfflineDecision,
  OverflowStep,
  QueuedDecision,
  QueuedView,
  ReceptionMode,
  RecentContact,
  RerouteCause,
  RerouteReason,
  RerouteRequest,
  EscalateOptions,
  RobotDecision,
  SplitMode,
} from './types.js';
