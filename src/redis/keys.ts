import type { RoutingErrorCode } from '../index.js';
import { expected } from '../errors.js';

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
  /** The pub/sub channel an append announces its entry id on, so that followers read without polling. */
  readonly wake: string;
}

/**
 * The keys of a shop. The `{shopId}` hash tag puts all of them in one Redis Cluster slot: the
 * append and snapshot scripts and the two-stream XREAD touch several keys at once, which a
 * cluster allows only within one slot; different shops land on different slots and spread over
 * the cluster.
 */
export function shopKeys(prefix: string, shopId: string): ShopKeys {
  const base = `${prefix}:{${shopId}}`;
  return { log: `${base}:log`, snapshot: `${base}:snapshot`, trims: `${base}:trims`, options: `${base}:options`, wake: `${base}:wake` };
}

/** The longest shop id (UTF-16 code units): it is part of five keys and of every error message. */
export const MAX_SHOP_ID_LENGTH = 200;

// Braces would break the hash tag and with it the one-slot rule; control characters have no
// business in a key and make logs unreadable. A lone surrogate (half of a UTF-16 pair) has no
// UTF-8 form: the client sends U+FFFD for it, so two such ids would share one log and the key
// Redis names in a reply would not be the one the replica asked for (every call hung).
const KEY_PART = /^[^{}\u0000-\u001f\u007f]+$/;
const LONE_SURROGATE = /\p{Cs}/u;

/** Checks a shop id or key prefix: 1–200 characters, no braces, no control characters, well-formed UTF-16. */
export function checkKeyPart(field: string, value: unknown, code: RoutingErrorCode = 'INVALID_OPTION'): string {
  if (typeof value !== 'string' || value.length > MAX_SHOP_ID_LENGTH || !KEY_PART.test(value) || LONE_SURROGATE.test(value)) {
    throw expected(code, field, `a string of 1 to ${MAX_SHOP_ID_LENGTH} characters without braces, control characters or lone surrogates`, value);
  }
  return value;
}

/** The id before every entry: replaying "after" it replays the whole log. */
export const LOG_START = '0-0';

/** Orders two stream ids (`<ms>-<seq>`) numerically: negative when `a` comes first. */
export function compareIds(a: string, b: string): number {
  // Digits of equal lengths on both sides of the dash order as strings: the common case needs no parsing.
  if (a.length === b.length && a.indexOf('-') === b.indexOf('-')) return a < b ? -1 : a > b ? 1 : 0;
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
