import { Router, type RouterOptions, type RouterSnapshot } from '../index.js';
import { routerOptionsOf } from '../snapshot.js';
import { expected } from '../errors.js';
import type { RedisConnection } from './link.js';

/** The settings `RedisRouter.open` and `RedisShops.open` share: how a shop's log is kept and read. */
export interface LogOptions {
  /**
   * Store a snapshot every this many log entries (the process whose call lands on the multiple
   * stores it) and trim the log behind it. 0: this process never stores one on that count. A
   * snapshot costs time in proportion to the shop's state (agents, open consultations, contact memory).
   * @default 10000
   */
  snapshotEvery?: number | undefined;
  /**
   * How long log entries stay after a snapshot covers them (ms, by Redis's clock): a replica that
   * falls behind by less than this keeps reading the log; one further behind reloads from the
   * snapshot (and its calls in flight then reject with `DECISION_LOST`).
   * @default 10000
   */
  retainMs?: number | undefined;
  /** Log entries read per XREAD. @default 1000 */
  batchSize?: number | undefined;
  /** The key prefix. @default 'fenliu' */
  prefix?: string | undefined;
  /**
   * How long `close()` waits for calls in flight before giving up on them (ms), and then as long
   * again at most for storing the snapshot and leaving the log: with Redis unreachable it still
   * ends, in about twice this plus a second for the connections. @default 5000
   */
  closeTimeoutMs?: number | undefined;
  /**
   * The largest call, in bytes of its arguments' JSON. A bigger one is refused with
   * `INVALID_ARGUMENT` before anything is appended: every replica reads every entry, and an open
   * consultation's data stays in every snapshot until it ends.
   * @default 65536
   */
  maxEntryBytes?: number | undefined;
  /**
   * Stronger durability: a call resolves only once this many Redis replicas have its entry
   * (`WAIT` after the append), so that a failover to one of them cannot undo it. A call whose
   * entry fewer replicas acknowledged within `waitTimeoutMs` (or whose append lost its reply, the
   * entry found in the log later) rejects with `NOT_REPLICATED`.
   * Costs a replication round trip per call (see docs/scaling.md). 0: do not wait.
   * @default 0
   */
  waitReplicas?: number | undefined;
  /** How long an append waits for `waitReplicas` (ms). @default 1000 */
  waitTimeoutMs?: number | undefined;
}

/** `LogOptions` with every default filled in. */
export interface ResolvedLog {
  snapshotEvery: number;
  retainMs: number;
  batchSize: number;
  prefix: string;
  closeTimeoutMs: number;
  maxEntryBytes: number;
  waitReplicas: number;
  waitTimeoutMs: number;
}

/** Checks the connection, the log options and a listener; throws `INVALID_OPTION` naming the first bad field. */
export function resolveLog(o: LogOptions & { redis?: unknown; onEvent?: unknown }): ResolvedLog {
  const { redis } = o;
  if (typeof redis !== 'object' || redis === null || typeof (redis as RedisConnection).call !== 'function' || typeof (redis as RedisConnection).duplicate !== 'function') {
    throw expected('INVALID_OPTION', 'redis', 'an ioredis Redis or Cluster', redis);
  }
  const count = (field: string, v: unknown, min: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw expected('INVALID_OPTION', field, `an integer >= ${min}`, v);
    return v;
  };
  if (o.onEvent !== undefined && typeof o.onEvent !== 'function') throw expected('INVALID_OPTION', 'onEvent', 'a function', o.onEvent);
  return {
    snapshotEvery: count('snapshotEvery', o.snapshotEvery ?? 10_000, 0),
    retainMs: count('retainMs', o.retainMs ?? 10_000, 0),
    batchSize: count('batchSize', o.batchSize ?? 1000, 1),
    prefix: o.prefix ?? 'fenliu',
    closeTimeoutMs: count('closeTimeoutMs', o.closeTimeoutMs ?? 5000, 0),
    maxEntryBytes: count('maxEntryBytes', o.maxEntryBytes ?? 65_536, 1),
    waitReplicas: count('waitReplicas', o.waitReplicas ?? 0, 0),
    waitTimeoutMs: count('waitTimeoutMs', o.waitTimeoutMs ?? 1000, 0),
  };
}

/**
 * A shop's routing settings: their canonical JSON (`undefined` to adopt the stored ones) and the
 * local clock. `new Router` validates them, so bad ones throw its `INVALID_OPTION` here.
 */
export function resolveRouting(routing: unknown, field = 'options'): { settings: string | undefined; clock: () => number } {
  if (routing === undefined) return { settings: undefined, clock: Date.now };
  if (typeof routing !== 'object' || routing === null || Array.isArray(routing)) throw expected('INVALID_OPTION', field, 'an object of RouterOptions', routing);
  const { clock, ...rest } = routing as RouterOptions;
  return { settings: canonicalSettings(rest), clock: clock ?? Date.now };
}

let defaults: string | undefined;

/** The canonical JSON of routing settings: the snapshot's options, the Router's own validated form (its defaults for none, made once). */
export function canonicalSettings(options?: RouterOptions): string {
  if (options === undefined) return (defaults ??= canonicalSettings({}));
  return JSON.stringify(new Router(options).snapshot().options);
}

/** Routing settings back from their canonical JSON, a snapshot's options. */
export function readSettings(json: string): RouterOptions {
  return routerOptionsOf(JSON.parse(json) as RouterSnapshot['options']);
}
