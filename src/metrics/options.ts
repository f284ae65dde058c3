import { expected } from '../errors.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Days after the consultation day at whose end inquiries and next-day payments are settled (须延迟1天统计). */
export const NEXT_DAY_DELAY_DAYS = 1;
/** Days after the consultation day at whose end final payments are settled (须延迟4天统计). */
export const FINAL_DELAY_DAYS = 4;

/** The response-rate ladder merchants read: 1, 2, 5, 10, 15, 20, 30, 40, 50 and 60 minutes, in ms. */
export const DEFAULT_RESPONSE_LADDER_MS: readonly number[] = Object.freeze(
  [1, 2, 5, 10, 15, 20, 30, 40, 50, 60].map((minutes) => minutes * MINUTE),
);

/** What `computeMetrics` reads besides the log. Every field is optional. */
export interface MetricsOptions {
  /**
   * Start of the time range (inclusive, ms). A customer is counted when their day's first
   * consultation falls in `[from, to)`; sales count payments made in `[from, to)`.
   * @default -Infinity
   */
  from?: number | undefined;
  /**
   * End of the time range (exclusive, ms).
   * @default Infinity
   */
  to?: number | undefined;
  /**
   * 慢响应: a customer is a slow response when any of their waits for a human reply lasted longer
   * than this — including a wait still unanswered when the conversation ended or at `asOf`.
   * @default 60000 (1 minute)
   */
  slowResponseMs?: number | undefined;
  /**
   * 最长等待时间: gaps between messages longer than this are cut out of reception duration.
   * @default 900000 (15 minutes)
   */
  maxWaitMs?: number | undefined;
  /**
   * The thresholds of the response-rate ladder (响应率), strictly increasing, in ms.
   * @default DEFAULT_RESPONSE_LADDER_MS (1, 2, 5, 10, 15, 20, 30, 40, 50, 60 minutes)
   */
  responseLadderMs?: readonly number[] | undefined;
  /**
   * The time the log is complete up to: it decides which delayed figures are final and how long
   * a still-open wait has lasted. No event may be later.
   * @default the time of the log's last event
   */
  asOf?: number | undefined;
  /**
   * The shop's offset from UTC: "same or next day" and the settling delays use its calendar days.
   * @default 28800000 (UTC+8, China Standard Time)
   */
  timeZoneOffsetMs?: number | undefined;
}

export interface ResolvedMetricsOptions {
  from: number;
  to: number;
  slowResponseMs: number;
  maxWaitMs: number;
  responseLadderMs: readonly number[];
  asOf: number | undefined;
  timeZoneOffsetMs: number;
}

const OPTION_KEYS = new Set(['from', 'to', 'slowResponseMs', 'maxWaitMs', 'responseLadderMs', 'asOf', 'timeZoneOffsetMs']);

export function resolveOptions(options: MetricsOptions): ResolvedMetricsOptions {
  if (typeof options !== 'object' || options === null) throw expected('INVALID_OPTION', 'options', 'an object', options);
  for (const key in options) {
    if (!OPTION_KEYS.has(key)) throw expected('INVALID_OPTION', `options.${key}`, `a known option (${[...OPTION_KEYS].join(', ')})`, (options as Record<string, unknown>)[key]);
  }
  const number = (field: keyof MetricsOptions, fallback: number, what: string, ok: (v: number) => boolean): number => {
    const value: unknown = options[field];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !ok(value)) throw expected('INVALID_OPTION', `options.${field}`, what, value);
    return value;
  };
  const from = number('from', -Infinity, 'a number (ms) or -Infinity', (v) => !Number.isNaN(v) && v !== Infinity);
  const to = number('to', Infinity, `a number (ms) >= options.from (${from})`, (v) => !Number.isNaN(v) && v >= from && v !== -Infinity);
  const slowResponseMs = number('slowResponseMs', MINUTE, 'a finite number >= 0', (v) => Number.isFinite(v) && v >= 0);
  const maxWaitMs = number('maxWaitMs', 15 * MINUTE, 'a number >= 0 (Infinity cuts nothing)', (v) => !Number.isNaN(v) && v >= 0);
  const asOf = options.asOf === undefined ? undefined : number('asOf', 0, 'a finite number (ms)', Number.isFinite);
  const timeZoneOffsetMs = number('timeZoneOffsetMs', 8 * HOUR, 'a finite number (ms)', Number.isFinite);

  let responseLadderMs = DEFAULT_RESPONSE_LADDER_MS;
  const ladder: unknown = options.responseLadderMs;
  if (ladder !== undefined) {
    if (!Array.isArray(ladder)) throw expected('INVALID_OPTION', 'options.responseLadderMs', 'an array of numbers', ladder);
    for (const [i, value] of ladder.entries()) {
      const previous: unknown = ladder[i - 1];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (typeof previous === 'number' && value <= previous)) {
        throw expected('INVALID_OPTION', `options.responseLadderMs[${i}]`, 'a finite number >= 0, greater than the one before', value);
      }
    }
    responseLadderMs = Object.freeze([...(ladder as number[])]);
  }
  return { from, to, slowResponseMs, maxWaitMs, responseLadderMs, asOf, timeZoneOffsetMs };
}
