/**
 * Capacity planning: how many agents a shop needs, by queueing formulas (Erlang C; Erlang A with
 * abandonment), for agents who serve several chats at once and may slow down as they juggle.
 * See `docs/capacity-planning.md`.
 */
export { erlangA, erlangC, MAX_SERVERS, requiredAgents } from './erlang.js';
export type {
  ErlangAInput,
  ErlangAResult,
  ErlangCInput,
  ErlangCResult,
  HandleTimes,
  Staffing,
  StaffingBase,
  StaffingInput,
  StaffingTarget,
} from './erlang.js';
