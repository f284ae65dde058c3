/**
 * Capacity planning: how many agents a shop needs, by queueing formulas (Erlang C; Erlang A with
 * abandonment). See `docs/capacity-planning.md`.
 */
export { erlangA, erlangC, MAX_SERVERS, requiredAgents } from './erlang.js';
export type {
  ErlangAInput,
  ErlangAResult,
  ErlangCInput,
  ErlangCResult,
  Staffing,
  StaffingBase,
  StaffingInput,
  StaffingTarget,
} from './erlang.js';
