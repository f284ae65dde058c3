import { RedisRouterError } from './errors.js';
import { describe } from '../errors.js';

/** The log entry format version this fenliu writes and reads. */
export const ENTRY_VERSION = '1';

/**
 * The mutating `Router` calls the log carries: how many arguments each takes before its time, and
 * where its time goes — `'arg'`: a last positional argument (`end(customerId, at?)`); `'field'`:
 * the `at` field of its last argument (`route({ …, at })`); `'none'`: it takes no time.
 * `field` names the time in error messages, `params` the arguments before it as `Router` names
 * them. A new `Router` method is one line here and one in `RedisRouter`: the replica calls the
 * method of the same name.
 */
export const OPS = {
  upsertAgent: { arity: 1, at: 'arg', field: 'at', params: ['spec'] },
  setStatus: { arity: 2, at: 'arg', field: 'at', params: ['agentId', 'status'] },
  setPending: { arity: 2, at: 'none', field: '', params: ['agentId', 'pending'] },
  removeAgent: { arity: 1, at: 'arg', field: 'at', params: ['agentId'] },
  route: { arity: 1, at: 'field', field: 'consultation.at', params: ['consultation'] },
  escalate: { arity: 2, at: 'field', field: 'options.at', params: ['customerId', 'options'] },
  reroute: { arity: 2, at: 'field', field: 'request.at', params: ['customerId', 'request'] },
  end: { arity: 1, at: 'arg', field: 'at', params: ['customerId'] },
  hold: { arity: 1, at: 'arg', field: 'at', params: ['customerId'] },
  resume: { arity: 1, at: 'arg', field: 'at', params: ['customerId'] },
  customerMessage: { arity: 1, at: 'arg', field: 'at', params: ['customerId'] },
  agentReply: { arity: 1, at: 'arg', field: 'at', params: ['customerId'] },
  advance: { arity: 0, at: 'arg', field: 'at', params: [] },
} as const satisfies Record<string, { arity: number; at: 'arg' | 'field' | 'none'; field: string; params: readonly string[] }>;

/** A mutating `Router` method, as a log entry names it. */
export type Op = keyof typeof OPS;

/** A log entry, read and checked; its arguments are still unchecked values for the `Router` to validate. */
export interface LogEntry {
  readonly id: string;
  readonly op: Op;
  /** The caller's request id, `<client>:<n>`; empty for an entry written by hand. */
  readonly rid: string;
  /** The caller's time (ms); `undefined` for an operation that takes none. */
  readonly at: number | undefined;
  /** The arguments without the time, `arity` of them. */
  readonly args: readonly unknown[];
}

/** A call split into what the log stores: its arguments without the time, and the time the caller gave (or none). */
export function splitTime(op: Op, args: readonly unknown[]): { args: unknown[]; at: unknown } {
  const spec = OPS[op];
  const rest = args.slice(0, spec.arity);
  if (spec.at === 'arg') return { args: rest, at: args[spec.arity] };
  if (spec.at === 'none') return { args: rest, at: undefined };
  const last = rest[spec.arity - 1];
  if (!isObject(last)) return { args: rest, at: undefined };
  const { at, ...without } = last;
  rest[spec.arity - 1] = without;
  return { args: rest, at };
}

/** The arguments of the `Router` call an entry stands for: the time put back where the method takes it. */
export function joinTime(op: Op, args: readonly unknown[], at: number | undefined): unknown[] {
  const spec = OPS[op];
  // Written before escalate took options: `[customerId]`, its time positional.
  if (op === 'escalate' && args.length === 1) return [args[0], at];
  if (spec.at === 'arg') return [...args, at];
  if (spec.at === 'none') return [...args];
  const out = [...args];
  const last = out[spec.arity - 1];
  if (isObject(last)) out[spec.arity - 1] = { ...last, at };
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// JSON has no NaN or ±Infinity (an unbounded cap is Infinity): tag them so that they reach the
// Router as the caller wrote them and the Router's own validation answers for them.
const NUM_TAG = '$num';

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { [NUM_TAG]: String(value) } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (isObject(value)) {
    const keys = Object.keys(value);
    const tagged = value[NUM_TAG];
    if (keys.length === 1 && (tagged === 'NaN' || tagged === 'Infinity' || tagged === '-Infinity')) return Number(tagged);
  }
  return value;
}

/** The JSON of a call's arguments as the log stores it. Throws a `TypeError` for what JSON cannot carry (BigInt, cycles). */
export function encodeArgs(args: readonly unknown[]): string {
  return JSON.stringify(args, replacer);
}

/**
 * Where a call's arguments hold a value the log's JSON would change — a function or symbol (left
 * out), `undefined` or an empty slot in an array (null), an object with `toJSON` such as a `Date`
 * (its JSON), an instance of a class other than `Object` and `Array` — as a path such as
 * `[0].priority` and the value's kind; `undefined` when every replica reads what the caller passed.
 * An object property that is `undefined` is carried: left out, it reads as `undefined` again.
 * Call it on what {@link encodeArgs} took: that has no cycle to walk round.
 */
export function uncarried(value: unknown, path = ''): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return undefined;
  if (typeof value !== 'object') return `${typeof value} at ${path}`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return `an object with toJSON at ${path}`;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return `an instance of a class at ${path}`;
    for (let i = 0; i < value.length; i++) {
      const inner = `${path}[${i}]`;
      if (value[i] === undefined) return `undefined at ${inner}`;
      const found = uncarried(value[i], inner);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return `an instance of a class at ${path}`;
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    const found = uncarried(inner, `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The flat XADD field list for one call (without `prev`, which the append script adds). */
export function encodeEntry(op: Op, rid: string, at: number | undefined, json: string): string[] {
  const fields = ['v', ENTRY_VERSION, 'op', op, 'rid', rid];
  if (at !== undefined) fields.push('at', String(at));
  fields.push('args', json);
  return fields;
}

// What String(number) writes for a finite number: Number() alone would also take "" and " 1 ".
const NUMBER = /^-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+)$/i;

/** One field of a flat XADD field list, or `undefined`. */
export function fieldOf(fields: readonly unknown[], name: string): unknown {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/**
 * Reads one log entry. Anything fenliu would not have written is a `MALFORMED_ENTRY`: a pure
 * function of the entry, so every replica rejects the same entries with the same message.
 */
export function decodeEntry(logKey: string, id: string, fields: readonly unknown[]): LogEntry | RedisRouterError {
  const bad = (what: string, got: unknown): RedisRouterError =>
    new RedisRouterError('MALFORMED_ENTRY', `Expected log entry ${id} of ${logKey} to have ${what}, got ${describe(got)}; it was skipped by every replica`, id);
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
  if (spec.at !== 'none') {
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
  // escalate's entries written before it took options carry one argument (see joinTime).
  const legacy = op === 'escalate' && Array.isArray(args) && args.length === 1;
  if (!Array.isArray(args) || (args.length !== spec.arity && !legacy)) return bad(`field \`args\` a JSON array of ${spec.arity} for ${op}`, args);
  return { id, op: op as Op, rid, at, args };
}
