import { describe, expected, RoutingError, type RoutingErrorCode } from './errors.js';

/** The longest id (agent, customer, group) a call may carry, in UTF-16 code units. */
export const MAX_ID_LENGTH = 1024;
/** The most recent contacts one consultation may carry. */
export const MAX_RECENT_CONTACTS = 100;
/** An agent's weight: 1 / weight, the fair share's step, stays a finite, well-scaled number. */
export const MIN_WEIGHT = 1e-6;
export const MAX_WEIGHT = 1e6;
/** A consultation's cost: an agent's load, a sum of costs, stays exact enough to hold against its cap. */
export const MIN_COST = 1e-6;
export const MAX_COST = 1e6;
/** The latest time a call may carry, in ms, and its negative the earliest: the range of a `Date`. */
export const MAX_TIME = 8.64e15;

/** A non-empty string id of at most {@link MAX_ID_LENGTH} code units; `"__proto__"` is as good as any. */
export function checkId(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw expected('INVALID_ARGUMENT', field, `a non-empty string of at most ${MAX_ID_LENGTH} characters`, value);
  }
  return value;
}

/**
 * Refuses a key the call does not know (a typo such as `dedicatedAgentID` would otherwise pass
 * silently). Keys are those a `for…in` sees — the object's enumerable ones, inherited included —
 * and values are read as properties, getters included: `Router` and `RedisRouter` read a call's
 * arguments the same way (see {@link readKnown}). Options are checked alike, with `INVALID_OPTION`.
 */
export function checkKeys(field: string, value: object, known: ReadonlySet<string>, code: RoutingErrorCode = 'INVALID_ARGUMENT'): void {
  for (const key in value) {
    if (!known.has(key)) {
      const shown = `${field}.${key.length > 60 ? `${key.slice(0, 57)}...` : key}`;
      throw new RoutingError(code, `Unknown key \`${shown}\`: known keys are ${[...known].join(', ')}`, shown);
    }
  }
}

/** A plain copy of the known properties of a call's argument, read as `Router` reads them (getters included, `undefined` left out). */
export function readKnown(value: object, known: ReadonlySet<string>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of known) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) copy[key] = v;
  }
  return copy;
}

export function checkFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw expected('INVALID_ARGUMENT', field, 'a finite number', value);
  return value;
}

/** How a time's bounds are told in messages: the same for NaN, Infinity and 1e17. */
export const TIME_EXPECTED = `a time in ms within ±${MAX_TIME} (a Date's range)`;

/** Whether `value` is a time in ms within ±{@link MAX_TIME} (NaN and Infinity are not). */
export function isTime(value: unknown): value is number {
  return typeof value === 'number' && Math.abs(value) <= MAX_TIME;
}

/** A time in ms within ±{@link MAX_TIME}. */
export function checkTime(field: string, value: unknown): number {
  if (!isTime(value)) throw expected('INVALID_ARGUMENT', field, TIME_EXPECTED, value);
  return value;
}

/**
 * The time `ms` (> 0) after `now`, and strictly later even where `now + ms` rounds back to `now`
 * (a fraction of a millisecond at a late time): a deadline set while another fires is never due in
 * the same step, so `advance` ends.
 */
export function later(now: number, ms: number): number {
  return Math.max(now + ms, now + Math.abs(now) * Number.EPSILON);
}

export function checkCount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw expected('INVALID_ARGUMENT', field, 'an integer >= 0', value);
  return value;
}

export function checkObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw expected('INVALID_ARGUMENT', field, 'an object', value);
  return value as Record<string, unknown>;
}

/**
 * A router's latest time, in a record of its own that the router and its customer table share.
 * Every use reads it there rather than taking it as an argument: V8 boxes a number that is not a
 * small integer (an epoch time in ms is not) each time it passes one to a call it does not inline,
 * and which calls it inlines changes from one process to the next.
 */
export interface Time {
  now: number;
}

/**
 * Advances `time` to a call's time: an explicit `at` must not be earlier than the latest time
 * seen; a clock reading that is (wall clocks step back) counts as the latest time. Without `at`
 * the router reads the clock it was given, and has no time at all without one. Changes nothing
 * when it throws.
 */
export function advanceTime(field: string, at: unknown, time: Time, clock: (() => number) | undefined): void {
  if (at === undefined) {
    if (clock === undefined) {
      throw new RoutingError(
        'INVALID_ARGUMENT',
        `Expected \`${field}\` to be a time in ms, got undefined: this router has no clock, so every call takes its time; pass \`at\`, or give the router one (\`new Router({ clock: Date.now })\`)`,
        field,
      );
    }
    const reading = clock();
    if (!isTime(reading)) {
      throw new RoutingError('INVALID_OPTION', `Expected \`options.clock()\` to return ${TIME_EXPECTED}, got ${describe(reading)}`, 'options.clock');
    }
    if (reading > time.now) time.now = reading;
    return;
  }
  const t = checkTime(field, at);
  if (t < time.now) {
    throw new RoutingError(
      'TIME_WENT_BACKWARDS',
      `Expected \`${field}\` to be >= ${time.now} (the latest time this router has seen), got ${t}; pass \`at\` on every call, or give the router a \`clock\``,
      field,
    );
  }
  time.now = t;
}
