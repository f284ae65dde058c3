/**
 * The stable codes a {@link RoutingError} carries. Match on `error.code`, never on the message.
 *
 * - `INVALID_OPTION` — a field of an options object (`RouterOptions`, or the options of
 *   `computeMetrics` or `toEvents`) or a cross-field rule is wrong, or its key is unknown.
 * - `INVALID_ARGUMENT` — an argument of a call has the wrong type or range.
 * - `UNKNOWN_AGENT` — an agent id the router does not know.
 * - `UNKNOWN_CUSTOMER` — no open consultation for that customer id.
 * - `DUPLICATE_CUSTOMER` — the customer already has an open consultation.
 * - `UNKNOWN_GROUP` — a group id that `RouterOptions.groups` does not declare.
 * - `UNKNOWN_ORDER_STATE` — an order state outside `RouterOptions.orderStates`.
 * - `TIME_WENT_BACKWARDS` — a call's `at` is earlier than the latest time the router has seen.
 * - `INVALID_STATE` — the call does not fit where the consultation is (e.g. escalating a
 *   consultation that is not with the robot, re-routing one that is not with an agent).
 * - `AGENT_UNAVAILABLE` — a transfer target that cannot take the consultation now.
 * - `INVALID_SNAPSHOT` — a snapshot that is corrupted or of another schema version.
 * - `INVALID_EVENT` — a malformed conversation event given to the metrics.
 * - `INVALID_SCENARIO` — a malformed simulation scenario.
 * - `NO_STEADY_STATE` — a queueing model whose load has no steady state.
 */
export type RoutingErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_AGENT'
  | 'UNKNOWN_CUSTOMER'
  | 'DUPLICATE_CUSTOMER'
  | 'UNKNOWN_GROUP'
  | 'UNKNOWN_ORDER_STATE'
  | 'TIME_WENT_BACKWARDS'
  | 'INVALID_STATE'
  | 'AGENT_UNAVAILABLE'
  | 'INVALID_SNAPSHOT'
  | 'INVALID_EVENT'
  | 'INVALID_SCENARIO'
  | 'NO_STEADY_STATE';

/**
 * The one error fenliu throws for bad input. A call that throws it has changed nothing.
 *
 * @example
 * ```ts
 * try {
 *   router.route({ customerId: 'c1', orderState: 'lost' });
 * } catch (error) {
 *   if (error instanceof RoutingError && error.code === 'UNKNOWN_ORDER_STATE') { … }
 * }
 * ```
 */
export class RoutingError extends Error {
  /** A stable code: safe to match on across versions. */
  readonly code: RoutingErrorCode;
  /** The field or argument at fault (e.g. `"options.busyThreshold"`, `"spec.weight"`), when there is one. */
  readonly field: string | undefined;

  constructor(code: RoutingErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'RoutingError';
    this.code = code;
    this.field = field;
  }

  /**
   * `error instanceof RoutingError` holds for a `RoutingError` of any copy of fenliu in the
   * process — its ES module and CommonJS builds loaded side by side, say — not of this class only.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(this, RoutingError, value, ROUTING_ERROR);
  }
}

/** The mark every copy of fenliu puts on its `RoutingError`s (a registered symbol, shared by all copies). */
const ROUTING_ERROR = Symbol.for('fenliu.RoutingError');
Object.defineProperty(RoutingError.prototype, ROUTING_ERROR, { value: true });

/**
 * `instanceof` for an error class of fenliu: against the class itself, any value carrying its
 * mark; against a subclass, the ordinary prototype test.
 */
export function branded(target: Function, base: Function, value: unknown, mark: symbol): boolean {
  if (target !== base) return Function.prototype[Symbol.hasInstance].call(target, value);
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[mark] === true;
}

/** Strings in messages are cut to this many code units: a message stays readable whatever came in. */
const SHOWN = 60;

function cut(text: string): string {
  return text.length > SHOWN ? `${text.slice(0, SHOWN - 3)}...` : text;
}

/**
 * A value as a message quotes it: a string in JSON quotes (cut short), anything else as
 * {@link describe} renders it. Never throws, whatever the value (BigInt, circular, symbol).
 */
export function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(cut(value)) : describe(value);
}

/**
 * Renders a received value for an error message: `-1 (number)`, `"x" (string)`, `undefined`,
 * `10 (bigint)`. Never throws and never walks into the value, so BigInts, circular objects,
 * symbols, functions and 10-million-character strings are all described safely.
 */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string': return `${JSON.stringify(cut(value))} (string)`;
    case 'number':
    case 'boolean': return `${String(value)} (${typeof value})`;
    case 'bigint': return `${cut(String(value))} (bigint)`;
    case 'symbol': return 'symbol';
    case 'function': return 'a function';
    default: return Array.isArray(value) ? `an array of ${value.length}` : 'object';
  }
}

/** Builds the house error message: ``Expected `field` to be <expected>, got <value>``. */
export function expected(code: RoutingErrorCode, field: string, what: string, got: unknown): RoutingError {
  return new RoutingError(code, `Expected \`${field}\` to be ${what}, got ${describe(got)}`, field);
}
