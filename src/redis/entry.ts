import { RedisRouterError, describeValue } from './errors.js';

/** The log entry format version this fenliu writes and reads. */
export const ENTRY_VERSION = '1';

/** The mutating `Router` calls the log carries, with their argument counts and whether they take a time. */
export const OPS = {
  upsertAgent: { arity: 1, timed: true },
  setStatus: { arity: 2, timed: true },
  setPending: { arity: 2, timed: false },
  removeAgent: { arity: 1, timed: true },
  route: { arity: 1, timed: true },
  escalate: { arity: 1, timed: true },
  reroute: { arity: 2, timed: true },
  end: { arity: 1, timed: true },
} as const;

/** A mutating `Router` method, as a log entry names it. */
export type Op = keyof typeof OPS;

/** A log entry, read and checked; its arguments are still unchecked values for the `Router` to validate. */
export interface LogEntry {
  readonly id: string;
  readonly op: Op;
  /** The caller's request id, `<client>:<n>`; empty for an entry written by hand. */
  readonly rid: string;
  /** The caller's time (ms); `undefined` for `setPending`, which takes none. */
  readonly at: number | undefined;
  readonly args: readonly unknown[];
}

// JSON has no NaN or ±Infinity (an unbounded cap is Infinity): tag them so that they reach the
// Router as the caller wrote them and the Router's own validation answers for them.
const NUM_TAG = '$num';

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { [NUM_TAG]: String(value) } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const tagged = (value as Record<string, unknown>)[NUM_TAG];
    if (keys.length === 1 && (tagged === 'NaN' || tagged === 'Infinity' || tagged === '-Infinity')) return Number(tagged);
  }
  return value;
}

/** The flat XADD field list for one call. Throws a `TypeError` for arguments JSON cannot carry (BigInt, cycles). */
export function encodeEntry(op: Op, rid: string, at: number | undefined, args: readonly unknown[]): string[] {
  const fields = ['v', ENTRY_VERSION, 'op', op, 'rid', rid];
  if (at !== undefined) fields.push('at', String(at));
  fields.push('args', JSON.stringify(args, replacer));
  return fields;
}

// What String(number) writes for a finite number: Number() alone would also take "" and " 1 ".
const NUMBER = /^-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+)$/i;

/**
 * Reads one log entry. Anything fenliu would not have written is a `MALFORMED_ENTRY`: a pure
 * function of the entry, so every replica rejects the same entries with the same message.
 */
export function decodeEntry(logKey: string, id: string, fields: readonly unknown[]): LogEntry | RedisRouterError {
  const bad = (what: string, got: unknown): RedisRouterError =>
    new RedisRouterError('MALFORMED_ENTRY', `Expected log entry ${id} of ${logKey} to have ${what}, got ${describeValue(got)}; it was skipped by every replica`, id);
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(String(fields[i]), fields[i + 1]);
  const v = map.get('v');
  if (v !== ENTRY_VERSION) return bad(`field \`v\` = "${ENTRY_VERSION}" (the entry format this fenliu reads)`, v);
  const op = map.get('op');
  if (typeof op !== 'string' || !Object.hasOwn(OPS, op)) return bad(`field \`op\` one of ${Object.keys(OPS).join(', ')}`, op);
  const spec = OPS[op as Op];
  const rid = map.get('rid') ?? '';
  if (typeof rid !== 'string') return bad('field `rid` a string', rid);
  let at: number | undefined;
  if (spec.timed) {
    const raw = map.get('at');
    if (typeof raw !== 'string' || !NUMBER.test(raw) || !Number.isFinite(Number(raw))) return bad('field `at` a finite number of milliseconds', raw);
    at = Number(raw);
  }
  const raw = map.get('args');
  if (typeof raw !== 'string') return bad('field `args` a JSON array', raw);
  let args: unknown;
  try {
    args = JSON.parse(raw, reviver);
  } catch {
    return bad('field `args` valid JSON', raw);
  }
  if (!Array.isArray(args) || args.length !== spec.arity) return bad(`field \`args\` a JSON array of ${spec.arity} for ${op}`, args);
  return { id, op: op as Op, rid, at, args };
}
