/**
 * The codes a {@link RedisRouterError} carries. Match on `error.code`, never on the message.
 *
 * - `CLOSED` — the call came after `close()`; nothing was appended.
 * - `NOT_APPLIED` — the append failed and the log, read back, does not hold it: nothing happened,
 *   so the call is safe to retry.
 * - `DECISION_LOST` — the call was applied, but this process fell behind the trimmed log and
 *   reloaded from a snapshot, so its decision is not known here; read the state (`agents()`, `queue()`).
 * - `OUTCOME_UNKNOWN` — the append failed and whether it reached the log could not be settled
 *   (Redis stayed unreachable until `close()`, or the log was trimmed past it).
 * - `MALFORMED_ENTRY` — a log entry that fenliu did not write (or a later format) cannot be read;
 *   every replica skips it.
 * - `DUPLICATE_ENTRY` — a second entry of one request (the client re-sent an append across a
 *   reconnect); every replica skips it, so a call is never applied twice.
 * - `LOG_UNRECOVERABLE` — the log was trimmed past this replica's position and no snapshot covers
 *   the gap (the snapshot key was deleted by hand).
 */
export type RedisRouterErrorCode =
  | 'CLOSED'
  | 'NOT_APPLIED'
  | 'DECISION_LOST'
  | 'OUTCOME_UNKNOWN'
  | 'MALFORMED_ENTRY'
  | 'DUPLICATE_ENTRY'
  | 'LOG_UNRECOVERABLE';

/**
 * What the Redis layer throws for a fault of the log or the connection; routing errors stay
 * `RoutingError`s from `fenliu`, identical to the in-process `Router`'s.
 */
export class RedisRouterError extends Error {
  /** A stable code: safe to match on across versions. */
  readonly code: RedisRouterErrorCode;
  /** The log entry at fault, when there is one (e.g. `"1718000000000-0"`). */
  readonly entryId: string | undefined;

  constructor(code: RedisRouterErrorCode, message: string, entryId?: string) {
    super(message);
    this.name = 'RedisRouterError';
    this.code = code;
    this.entryId = entryId;
  }
}

/** Renders a received value for an error message, like the core's: `NaN (number)`, `"x" (string)`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return `${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} (string)`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${String(value)} (${typeof value})`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'function' ? 'a function' : typeof value;
}
