import { expected, RoutingError } from './errors.js';

/** A non-empty string id; any such string is valid, `"__proto__"` included. */
export function checkId(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw expected('INVALID_ARGUMENT', field, 'a non-empty string', value);
  return value;
}

export function checkFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw expected('INVALID_ARGUMENT', field, 'a finite number', value);
  return value;
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
 * seen; a clock reading that is (wall clocks step back) counts as the latest time. Changes
 * nothing when it throws.
 */
export function advanceTime(field: string, at: unknown, time: Time, clock: () => number): void {
  if (at === undefined) {
    const reading = clock();
    if (typeof reading !== 'number' || !Number.isFinite(reading)) {
      throw new RoutingError('INVALID_OPTION', `Expected \`options.clock()\` to return a finite number, got ${String(reading)}`, 'options.clock');
    }
    if (reading > time.now) time.now = reading;
    return;
  }
  const t = checkFinite(field, at);
  if (t < time.now) {
    throw new RoutingError(
      'TIME_WENT_BACKWARDS',
      `Expected \`${field}\` to be >= ${time.now} (the latest time this router has seen), got ${t}; pass \`at\` on every call, or give the router a \`clock\``,
      field,
    );
  }
  time.now = t;
}
