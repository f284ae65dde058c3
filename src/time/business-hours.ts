import { expected, quote, RoutingError } from '../errors.js';
import { firstAbove } from '../structures/first-above.js';
import { checkKeys } from '../validate.js';

/** A day of the week as {@link BusinessHoursSpec.weekly} names it. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * A shop's opening hours, in the shop's own time zone. Leaving the option out means always open.
 *
 * - Each interval is `'HH:MM-HH:MM'`, start before end within one day; `'24:00'` may end an
 *   interval. A shift past midnight is two intervals on two days (`fri: ['20:00-24:00']`,
 *   `sat: ['00:00-02:00']`): they join into one opening with no change at midnight.
 * - Intervals of one day may touch (`'09:00-12:00', '12:00-18:00'`) but not overlap.
 * - At least one day has an interval: a shop that never opens is not a configuration.
 * - A `closed` date (`'YYYY-MM-DD'`, in the shop's calendar) is closed all day, whatever `weekly` says.
 * - Daylight saving: a local time the clock skips (02:30 on a spring-forward night) means the first
 *   instant after the skip (03:00); a local time the clock shows twice means the first time it is shown.
 *
 * @example
 * ```ts
 * const businessHours: BusinessHoursSpec = {
 *   timeZone: 'Asia/Shanghai',
 *   weekly: { mon: ['09:00-12:00', '13:00-18:00'], sat: ['10:00-16:00'] },
 *   closed: ['2026-10-01'],
 * };
 * ```
 */
export interface BusinessHoursSpec {
  /** An IANA time zone name, e.g. `'Asia/Shanghai'`, as `Intl.DateTimeFormat` knows it. */
  timeZone: string;
  /** The opening intervals of each day of the week; a day left out (or `[]`) is closed. */
  weekly: Partial<Record<Weekday, string[] | undefined>>;
  /** Dates closed all day, `'YYYY-MM-DD'` in the shop's time zone. @default [] */
  closed?: string[] | undefined;
}

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Monday first: index = (days since 1970-01-01 + 3) mod 7, 1970-01-01 being a Thursday. */
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SPEC_KEYS = new Set(['timeZone', 'weekly', 'closed']);
const INTERVAL = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/;
const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;
const INTERVAL_SHAPE = "an interval 'HH:MM-HH:MM' within one day (00:00 to 24:00, e.g. '09:00-18:00')";

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/** Parses `'HH:MM-HH:MM'` into minutes of the day [start, end), or throws. */
function parseInterval(value: unknown, at: string): [number, number] {
  const match = typeof value === 'string' ? INTERVAL.exec(value) : null;
  if (match === null) throw expected('INVALID_OPTION', at, INTERVAL_SHAPE, value);
  const [h1, m1, h2, m2] = [match[1], match[2], match[3], match[4]].map(Number) as [number, number, number, number];
  if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 === 24 && m2 > 0)) throw expected('INVALID_OPTION', at, INTERVAL_SHAPE, value);
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (end <= start) {
    throw expected('INVALID_OPTION', at, `${INTERVAL_SHAPE} that ends after it starts (a shift past midnight is two intervals: '22:00-24:00' on one day, '00:00-06:00' on the next)`, value);
  }
  return [start, end];
}

/**
 * Validates a `businessHours` option and compiles it. Every fault is a `RoutingError` with code
 * `INVALID_OPTION` naming the field at fault (`${field}.weekly.mon[0]`, `${field}.closed[2]`, …).
 * `undefined` is not accepted here: the caller treats a missing option as always open.
 *
 * @param value - the option as the caller gave it.
 * @param field - the option's path for messages, e.g. `'options.businessHours'`.
 */
export function parseBusinessHours(value: unknown, field: string): BusinessHours {
  if (!isRecord(value)) throw expected('INVALID_OPTION', field, 'an object { timeZone, weekly, closed? }', value);
  checkKeys(field, value, SPEC_KEYS, 'INVALID_OPTION');

  const { timeZone } = value;
  const zoneExpected = "an IANA time zone name that Intl knows (e.g. 'Asia/Shanghai')";
  if (typeof timeZone !== 'string') throw expected('INVALID_OPTION', `${field}.timeZone`, zoneExpected, timeZone);
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    // Intl throws a RangeError for a zone it does not know (and for '').
    throw expected('INVALID_OPTION', `${field}.timeZone`, zoneExpected, timeZone);
  }

  const weekly = value.weekly;
  if (!isRecord(weekly)) throw expected('INVALID_OPTION', `${field}.weekly`, "an object of intervals by day, e.g. { mon: ['09:00-18:00'] }", weekly);
  checkKeys(`${field}.weekly`, weekly, new Set(WEEKDAYS), 'INVALID_OPTION');
  const days: number[][] = [];
  let intervals = 0;
  for (const weekday of WEEKDAYS) {
    const at = `${field}.weekly.${weekday}`;
    const list = weekly[weekday];
    const day: number[] = [];
    days.push(day);
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw expected('INVALID_OPTION', at, "an array of intervals, e.g. ['09:00-18:00']", list);
    const parsed = Array.from(list, (interval: unknown, i) => ({ i, range: parseInterval(interval, `${at}[${i}]`) }));
    parsed.sort((a, b) => a.range[0] - b.range[0] || a.i - b.i);
    for (let k = 1; k < parsed.length; k += 1) {
      const before = parsed[k - 1]!;
      const next = parsed[k]!;
      if (next.range[0] < before.range[1]) {
        const [first, second] = before.i < next.i ? [before, next] : [next, before];
        throw expected('INVALID_OPTION', `${at}[${second.i}]`, `an interval that does not overlap \`${at}[${first.i}]\` (${quote(list[first.i])})`, list[second.i]);
      }
    }
    // Touching intervals join, so that a day written '00:00-12:00', '12:00-24:00' is seen as open all day.
    for (const { range: [start, end] } of parsed) {
      if (day.length > 0 && day[day.length - 1] === start) day[day.length - 1] = end;
      else day.push(start, end);
    }
    intervals += parsed.length;
  }
  if (intervals === 0) {
    throw new RoutingError('INVALID_OPTION', `Expected \`${field}.weekly\` to hold at least one interval, got none (a shop that never opens cannot be served; leave \`${field}\` out for always open)`, `${field}.weekly`);
  }

  const closed = new Set<number>();
  if (value.closed !== undefined) {
    if (!Array.isArray(value.closed)) throw expected('INVALID_OPTION', `${field}.closed`, "an array of dates 'YYYY-MM-DD'", value.closed);
    for (const [i, date] of value.closed.entries()) {
      const match = typeof date === 'string' ? DATE.exec(date) : null;
      const [year, month, day] = match === null ? [0, 0, 0] : [Number(match[1]), Number(match[2]), Number(match[3])];
      if (match === null || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
        throw expected('INVALID_OPTION', `${field}.closed[${i}]`, "a calendar date 'YYYY-MM-DD'", date);
      }
      closed.add(daysFromCivil(year, month, day));
    }
  }
  return new BusinessHours(format, days, closed);
}

/**
 * A compiled {@link BusinessHoursSpec}: answers whether the shop is open at an instant and when
 * that next changes. Build it with {@link parseBusinessHours}.
 *
 * Instants are epoch milliseconds. The answer for the current stretch of open or closed time is
 * kept, so calls that stay inside it (a router asking at each new consultation) cost two
 * comparisons; only a call outside it reads the time zone again, scanning at most
 * 8 × (closed dates + 3) days ahead.
 */
export class BusinessHours {
  /** Formats an instant in the shop's zone; the only source of offsets. */
  readonly #format: Intl.DateTimeFormat;
  /** Per weekday (Monday first), the day's open minutes as sorted [start, end) pairs with gaps between them. */
  readonly #weekly: readonly (readonly number[])[];
  /** Closed dates as days since 1970-01-01 (local calendar). */
  readonly #closed: ReadonlySet<number>;
  /** The closed dates in ascending order, for jumping over the days of an always-open week. */
  readonly #closedSorted: readonly number[];
  /** Every day of the week open 00:00-24:00: only closed dates end an opening. */
  readonly #fullWeek: boolean;
  /**
   * Day budget of one scan. A closed date may fall on the week's only open day and cost a week; so
   * may an opening a daylight-saving skip swallows (never more than two of one weekday within ten
   * weeks: the eighth day per closed date and the + 3 cover them); and a week with any interval
   * opens within the next week after that.
   */
  readonly #scanDays: number;
  // The cached stretch: the state is #open on every instant of [#from, #to); #to is Infinity
  // when it never changes. Empty (from > to) until the first call.
  #from = 1;
  #to = 0;
  #open = false;

  /** @internal Use {@link parseBusinessHours}. */
  constructor(format: Intl.DateTimeFormat, weekly: readonly (readonly number[])[], closed: ReadonlySet<number>) {
    this.#format = format;
    this.#weekly = weekly;
    this.#closed = closed;
    this.#closedSorted = [...closed].sort((a, b) => a - b);
    this.#fullWeek = weekly.every((day) => day.length === 2 && day[0] === 0 && day[1] === 1440);
    this.#scanDays = 8 * (closed.size + 3);
  }

  /**
   * Whether the shop is open at `at` (epoch ms, finite: the caller validates it). O(1) without
   * allocation while `at` stays in the current stretch.
   */
  isOpen(at: number): boolean {
    if (!(at >= this.#from && at < this.#to)) this.#locate(at);
    return this.#open;
  }

  /**
   * The first instant after `at` at which {@link isOpen} changes, or `undefined` if it never does
   * (a week open around the clock with no closed date ahead).
   */
  nextChange(at: number): number | undefined {
    if (!(at >= this.#from && at < this.#to)) this.#locate(at);
    return this.#to === Infinity ? undefined : this.#to;
  }

  /** The zone's offset (ms, local minus UTC) at instant `t`, from the local date and time Intl shows. */
  #offset(t: number): number {
    let year = 0; let month = 0; let day = 0; let hour = 0; let minute = 0; let second = 0;
    for (const part of this.#format.formatToParts(t)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        default: break;
      }
    }
    const wholeSecond = t - (((t % 1000) + 1000) % 1000);
    return (daysFromCivil(year, month, day) * 1440 + hour * 60 + minute) * MINUTE + second * 1000 - wholeSecond;
  }

  /**
   * The first instant at which the shop's clock shows `local` (a local date and time written as if
   * it were UTC) or a later time. Outside a daylight-saving change that is the one instant with
   * that local time; when the clock shows it twice, the first; when the clock skips it, the
   * instant the skip ends. Assumes the offset changes at most once within a day either side.
   */
  #instant(local: number): number {
    const before = this.#offset(local - DAY);
    const after = this.#offset(local + DAY);
    // The usual case: no change within a day either side, so the offset is the same throughout.
    if (before === after) return local - before;
    const early = local - before;
    const late = local - after;
    const earlyFits = this.#offset(early) === before;
    const lateFits = this.#offset(late) === after;
    if (earlyFits && lateFits) return Math.min(early, late);
    if (earlyFits) return early;
    if (lateFits) return late;
    // The clock skips `local`: the change lies in (lo, hi]; offsets and the change are whole seconds.
    let lo = Math.min(early, late);
    let hi = Math.max(early, late);
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (mid + this.#offset(mid) >= local) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** Appends the open stretches of local day `day` (days since 1970-01-01) to `out` as [start, end) pairs. */
  #daySpans(day: number, out: number[]): void {
    if (this.#closed.has(day)) return;
    const minutes = this.#weekly[(((day + 3) % 7) + 7) % 7]!;
    for (let k = 0; k < minutes.length; k += 2) {
      const start = this.#instant(day * DAY + minutes[k]! * MINUTE);
      const end = this.#instant(day * DAY + minutes[k + 1]! * MINUTE);
      // A stretch the clock skips entirely (02:00-02:30 on a spring-forward night) is no opening.
      if (start < end) out.push(start, end);
    }
  }

  /** Finds the stretch of constant state around `at` and caches it. */
  #locate(at: number): void {
    // The scan starts on the local day of `at`: every opening of an earlier day ends by the first
    // time the clock shows this day's 00:00, which is no later than `at`. An opening still running
    // from the day before shows up as this day's first opening starting at 00:00.
    let day = Math.floor((at + this.#offset(at)) / DAY);
    let budget = this.#scanDays;
    const spans: number[] = [];
    let next = 0;
    // Refills `spans` day by day; false once the budget is spent.
    const more = (): boolean => {
      while (next >= spans.length) {
        if (budget <= 0) return false;
        budget -= 1;
        spans.length = 0;
        next = 0;
        if (this.#fullWeek && !this.#closed.has(day)) {
          // Every regular day is open 00:00-24:00: one opening runs to the next closed date.
          const closedDay = this.#closedSorted[firstAbove(this.#closedSorted, day)];
          spans.push(this.#instant(day * DAY), closedDay === undefined ? Infinity : this.#instant(closedDay * DAY));
          day = closedDay ?? Infinity;
        } else {
          this.#daySpans(day, spans);
          day += 1;
        }
      }
      return true;
    };
    let closedSince = this.#instant(day * DAY);
    while (more()) {
      const start = spans[next]!;
      let end = spans[next + 1]!;
      next += 2;
      // Openings that meet (24:00 then 00:00, or across a skipped hour) are one opening.
      while (end !== Infinity && more() && spans[next]! <= end) {
        end = Math.max(end, spans[next + 1]!);
        next += 2;
      }
      if (at < start) return this.#keep(Math.min(closedSince, at), start, false);
      if (at < end) return this.#keep(start, end, true);
      closedSince = end;
    }
    // Not reached for a valid spec (some weekday has an interval); closed for good is the safe answer.
    this.#keep(at, Infinity, false);
  }

  #keep(from: number, to: number, open: boolean): void {
    this.#from = from;
    this.#to = to;
    this.#open = open;
  }
}
