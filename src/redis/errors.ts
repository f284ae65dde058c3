import { branded } from '../errors.js';

/**
 * The codes a {@link RedisRouterError} carries. Match on `error.code`, never on the message.
 *
 * - `CLOSED` — the call came after `close()` (of the shop or of its host); nothing was appended.
 * - `NOT_APPLIED` — nothing happened, so the call is safe to retry: the append failed and the log,
 *   read back, does not hold it; or a log entry written by hand had already taken the call's
 *   request id, so every replica skipped the call's own entry.
 * - `DECISION_LOST` — the call was applied, but this process fell behind the trimmed log and
 *   reloaded from a snapshot, so its decision is not known here; read the state (`agents()`, `queue()`).
 * - `OUTCOME_UNKNOWN` — whether the call is in the log could not be settled (Redis stayed
 *   unreachable until `close()`, the log was trimmed past it, or a failover replaced the log).
 * - `NOT_REPLICATED` — with `waitReplicas`, the call was applied on the master but fewer replicas
 *   than asked acknowledged it within `waitTimeoutMs` (or the append's reply was lost, and the
 *   entry was found in the log later): a failover now could undo it.
 * - `UNKNOWN_SHOP` — `RedisShops`' `options` function does not know the shop id; nothing was written.
 * - `MALFORMED_ENTRY` — a log entry that fenliu did not write (or a later format) cannot be read;
 *   every replica skips it.
 * - `DUPLICATE_ENTRY` — a second entry of one request id (the client re-sent an append across a
 *   reconnect, or an entry was written by hand with that id); every replica skips it, so a call is
 *   never applied twice.
 * - `LOG_UNRECOVERABLE` — the log was trimmed past this replica's position and no snapshot covers
 *   the gap (the snapshot key was deleted by hand).
 */
export type RedisRouterErrorCode =
  | 'CLOSED'
  | 'NOT_APPLIED'
  | 'DECISION_LOST'
  | 'OUTCOME_UNKNOWN'
  | 'NOT_REPLICATED'
  | 'UNKNOWN_SHOP'
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

  /** As for `RoutingError`: true for a `RedisRouterError` of any copy of fenliu in the process. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(this, RedisRouterError, value, REDIS_ROUTER_ERROR);
  }
}

const REDIS_ROUTER_ERROR = Symbol.for('fenliu.RedisRouterError');
Object.defineProperty(RedisRouterError.prototype, REDIS_ROUTER_ERROR, { value: true });
