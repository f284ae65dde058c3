import { RoutingError } from '../index.js';
import { describeValue } from './errors.js';

/** The Redis keys of one shop. */
export interface ShopKeys {
  /** The command log: a stream, one entry per mutating call. */
  readonly log: string;
  /** The latest snapshot: a hash `{ v, id, count, data }`. */
  readonly snapshot: string;
  /** A one-entry stream holding the latest trim point, read with the log to notice trimmed gaps. */
  readonly trims: string;
  /** The shop's routing settings as first opened, so that every process routes by the same ones. */
  readonly options: string;
}

/**
 * The keys of a shop. The `{shopId}` hash tag puts all of them in one Redis Cluster slot: the
 * snapshot script and the two-stream XREAD touch several keys at once, which a cluster allows
 * only within one slot; different shops land on different slots and spread over the cluster.
 */
export function shopKeys(prefix: string, shopId: string): ShopKeys {
  const base = `${prefix}:{${shopId}}`;
  return { log: `${base}:log`, snapshot: `${base}:snapshot`, trims: `${base}:trims`, options: `${base}:options` };
}

/** Checks a shop id or key prefix: braces would break the hash tag and with it the one-slot rule. */
export function checkKeyPart(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || /[{}]/.test(value)) {
    throw new RoutingError('INVALID_OPTION', `Expected \`${field}\` to be a non-empty string without braces, got ${describeValue(value)}`, field);
  }
  return value;
}

/** The id before every entry: replaying "after" it replays the whole log. */
export const LOG_START = '0-0';

/** Orders two stream ids (`<ms>-<seq>`) numerically: negative when `a` comes first. */
export function compareIds(a: string, b: string): number {
  const [am, as] = split(a);
  const [bm, bs] = split(b);
  if (am !== bm) return am < bm ? -1 : 1;
  if (as !== bs) return as < bs ? -1 : 1;
  return 0;
}

function split(id: string): [bigint, bigint] {
  const dash = id.indexOf('-');
  // Ids come from Redis or from our own snapshots; BigInt because a sequence may exceed 2^53.
  return dash < 0 ? [BigInt(id), 0n] : [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}
