import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RoutingError } from '../../src/errors.js';
import { Router } from '../../src/index.js';
import { parseBusinessHours, type BusinessHoursSpec } from '../../src/time/business-hours.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FIELD = 'options.businessHours';

const hours = (spec: BusinessHoursSpec) => parseBusinessHours(spec, FIELD);

// Expected instants are written as UTC plus the zone's known offset on that date.
/** Asia/Shanghai: UTC+8 all year. */
const shanghai = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h - 8, mi);
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

// The reference model: reads the shop's clock with its own Intl formatter and compares the
// weekday, date and time of day with the spec's text, interval by interval.
const formats = new Map<string, Intl.DateTimeFormat>();
function clock(zone: string, t: number): number {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formats.set(zone, format);
  }
  const part = (type: string): number => Number(format.formatToParts(t).find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) + (((t % 1000) + 1000) % 1000);
}
/**
 * The latest local time the clock has shown by `t`. After a fall-back the clock shows an hour again;
 * a time of the spec means the first time the clock shows it, so the repeated hour counts as the
 * time shown just before the change. Found by reading the clock each minute over the last 3 hours.
 */
function shown(zone: string, t: number): number {
  let latest = clock(zone, t);
  if (clock(zone, t - 3 * HOUR) - (t - 3 * HOUR) > latest - t) {
    for (let k = 1; k <= 180; k += 1) latest = Math.max(latest, clock(zone, t - k * MINUTE));
  }
  return latest;
}
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
function modelOpen(spec: BusinessHoursSpec, t: number): boolean {
  const local = shown(spec.timeZone, t);
  const date = new Date(local);
  if ((spec.closed ?? []).includes(date.toISOString().slice(0, 10))) return false;
  const minute = (local - Math.floor(local / DAY) * DAY) / MINUTE;
  return (spec.weekly[WEEKDAYS[date.getUTCDay()]!] ?? []).some((interval) => {
    const [start, end] = interval.split('-') as [string, string];
    return minutesOf(start) <= minute && minute < minutesOf(end);
  });
}

describe('a regular week (Asia/Shanghai, no daylight saving)', () => {
  const spec: BusinessHoursSpec = {
    timeZone: 'Asia/Shanghai',
    weekly: { mon: ['09:00-12:00', '13:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'], sat: ['10:00-16:00'] },
  };

  it('is open exactly inside the intervals, in local time', () => {
    const h = hours(spec);
    // 2026-03-02 is a Monday.
    expect(h.isOpen(shanghai(2026, 3, 2, 9) - 1)).toBe(false);
    expect(h.isOpen(shanghai(2026, 3, 2, 9))).toBe(true);
    expect(h.isOpen(shanghai(2026, 3, 2, 11, 59))).toBe(true);
    expect(h.isOpen(shanghai(2026, 3, 2, 12))).toBe(false);
    expect(h.isOpen(shanghai(2026, 3, 2, 13))).toBe(true);
    expect(h.isOpen(shanghai(2026, 3, 2, 18))).toBe(false);
    expect(h.isOpen(shanghai(2026, 3, 8, 12))).toBe(false); // Sunday
    expect(h.isOpen(shanghai(2026, 3, 7, 15, 59))).toBe(true); // Saturday
  });

  it('names the next opening and closing', () => {
    const h = hours(spec);
    expect(h.nextChange(shanghai(2026, 3, 2, 8))).toBe(shanghai(2026, 3, 2, 9));
    expect(h.nextChange(shanghai(2026, 3, 2, 9))).toBe(shanghai(2026, 3, 2, 12));
    expect(h.nextChange(shanghai(2026, 3, 2, 12))).toBe(shanghai(2026, 3, 2, 13));
    expect(h.nextChange(shanghai(2026, 3, 6, 18))).toBe(shanghai(2026, 3, 7, 10)); // Friday evening → Saturday
    expect(h.nextChange(shanghai(2026, 3, 7, 16))).toBe(shanghai(2026, 3, 9, 9)); // Saturday → Monday
  });
});

describe('closed dates', () => {
  it('closes whole local days and skips them when looking for the next opening', () => {
    const h = hours({ timeZone: 'Asia/Shanghai', weekly: { mon: ['09:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'] }, closed: ['2026-03-04', '2026-03-05'] });
    expect(h.isOpen(shanghai(2026, 3, 4, 10))).toBe(false);
    expect(h.isOpen(shanghai(2026, 3, 5, 10))).toBe(false);
    expect(h.nextChange(shanghai(2026, 3, 3, 18))).toBe(shanghai(2026, 3, 6, 9));
    expect(h.isOpen(shanghai(2026, 3, 6, 9))).toBe(true);
    expect(h.isOpen(shanghai(2026, 3, 11, 10))).toBe(true); // the Wednesday after is open again
  });

  it('reads dates in the shop calendar, not in UTC', () => {
    // 2026-03-03 00:30 in Shanghai is still 2026-03-02 in UTC.
    const h = hours({ timeZone: 'Asia/Shanghai', weekly: { tue: ['00:00-24:00'] }, closed: ['2026-03-03'] });
    expect(h.isOpen(shanghai(2026, 3, 3, 0, 30))).toBe(false);
    expect(h.isOpen(shanghai(2026, 3, 10, 0, 30))).toBe(true);
  });

  it('finds the opening after a year of closed dates', () => {
    const closed: string[] = [];
    for (let t = Date.UTC(2027, 0, 1); t < Date.UTC(2028, 0, 1); t += DAY) closed.push(new Date(t).toISOString().slice(0, 10));
    const h = hours({ timeZone: 'Asia/Shanghai', weekly: { mon: ['09:00-10:00'] }, closed });
    // Monday 2026-12-28 closes at 10:00; every day of 2027 is closed; 2028-01-03 is the first Monday after.
    expect(h.nextChange(shanghai(2026, 12, 28, 9))).toBe(shanghai(2026, 12, 28, 10));
    expect(h.nextChange(shanghai(2026, 12, 28, 10))).toBe(shanghai(2028, 1, 3, 9));
  });

  it('finds the opening past closed dates that each take the week\'s only open day, and past one a DST skip swallows', () => {
    const mondays = ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02'];
    const h = hours({ timeZone: 'UTC', weekly: { mon: ['09:00-18:00'] }, closed: mondays });
    // From Tuesday 2025-12-30 the next opening is the sixth Monday, 2026-02-09 09:00.
    expect(h.nextChange(utc(2025, 12, 30, 12))).toBe(utc(2026, 2, 9, 9));
    expect(h.isOpen(utc(2026, 2, 9, 10))).toBe(true);
    // New York, Sundays 02:00-02:30: 2026-03-08 has no 02:00-03:00 (spring forward), the Sundays
    // around it are closed; the first opening is 2026-03-29 02:00 EDT (06:00 UTC).
    const skip = hours({ timeZone: 'America/New_York', weekly: { sun: ['02:00-02:30'] }, closed: ['2026-03-01', '2026-03-15', '2026-03-22'] });
    expect(skip.nextChange(utc(2026, 2, 23, 12))).toBe(utc(2026, 3, 29, 6));
    // Through a router: a consultation on the Tuesday waits for that opening, and is served at it.
    const router = new Router({ businessHours: { timeZone: 'UTC', weekly: { mon: ['09:00-18:00'] }, closed: mondays } });
    router.upsertAgent({ id: 'a', status: 'online' }, utc(2025, 12, 30, 11));
    expect(router.route({ customerId: 'c', at: utc(2025, 12, 30, 12) })).toMatchObject({ kind: 'queued', reason: 'closed' });
    expect(router.nextDeadline()).toBe(utc(2026, 2, 9, 9));
    expect(router.advance(utc(2026, 2, 9, 9))).toMatchObject([{ kind: 'agent', agentId: 'a', customerId: 'c' }]);
  });

  it('ends an always-open week only at a closed date, however far ahead', () => {
    const always = { mon: ['00:00-24:00'], tue: ['00:00-24:00'], wed: ['00:00-24:00'], thu: ['00:00-24:00'], fri: ['00:00-24:00'], sat: ['00:00-24:00'], sun: ['00:00-24:00'] };
    const never = hours({ timeZone: 'America/New_York', weekly: always });
    expect(never.isOpen(utc(2026, 3, 8, 7))).toBe(true);
    expect(never.nextChange(utc(2026, 3, 8, 7))).toBeUndefined();
    const halves = hours({ timeZone: 'Europe/London', weekly: Object.fromEntries(Object.keys(always).map((d) => [d, ['12:00-24:00', '00:00-12:00']])) });
    expect(halves.nextChange(utc(2026, 3, 29, 1))).toBeUndefined();

    const h = hours({ timeZone: 'Asia/Shanghai', weekly: always, closed: ['2030-01-01', '2030-01-02', '2031-05-01'] });
    expect(h.isOpen(shanghai(2026, 6, 1, 12))).toBe(true);
    expect(h.nextChange(shanghai(2026, 6, 1, 12))).toBe(shanghai(2030, 1, 1, 0));
    expect(h.isOpen(shanghai(2030, 1, 1, 0))).toBe(false);
    expect(h.nextChange(shanghai(2030, 1, 1, 0))).toBe(shanghai(2030, 1, 3, 0));
    expect(h.nextChange(shanghai(2030, 1, 3, 0))).toBe(shanghai(2031, 5, 1, 0));
    expect(h.nextChange(shanghai(2031, 5, 2, 0))).toBeUndefined();
  });
});

describe('intervals that meet', () => {
  it('joins 24:00 with the next day’s 00:00 into one opening', () => {
    // 2026-03-06 is a Friday.
    const h = hours({ timeZone: 'Asia/Shanghai', weekly: { fri: ['20:00-24:00'], sat: ['00:00-02:00'] } });
    expect(h.nextChange(shanghai(2026, 3, 6, 19))).toBe(shanghai(2026, 3, 6, 20));
    expect(h.nextChange(shanghai(2026, 3, 6, 21))).toBe(shanghai(2026, 3, 7, 2));
    expect(h.isOpen(shanghai(2026, 3, 7, 0))).toBe(true);
    expect(h.isOpen(shanghai(2026, 3, 7, 2))).toBe(false);
  });

  it('joins touching intervals of one day', () => {
    const h = hours({ timeZone: 'Asia/Shanghai', weekly: { mon: ['12:00-18:00', '09:00-12:00'] } });
    expect(h.nextChange(shanghai(2026, 3, 2, 10))).toBe(shanghai(2026, 3, 2, 18));
  });
});

describe('daylight saving, America/New_York (EST = UTC-5, EDT = UTC-4)', () => {
  // Clocks go 02:00 EST → 03:00 EDT at 2026-03-08 07:00 UTC, and 02:00 EDT → 01:00 EST at 2026-11-01 06:00 UTC.
  it('starts an interval whose start the clock skips at the end of the skip', () => {
    const h = hours({ timeZone: 'America/New_York', weekly: { sun: ['02:30-05:00', '09:00-17:00'] } });
    expect(h.nextChange(utc(2026, 3, 8, 0))).toBe(utc(2026, 3, 8, 7)); // 03:00 EDT
    expect(h.isOpen(utc(2026, 3, 8, 7) - 1)).toBe(false);
    expect(h.isOpen(utc(2026, 3, 8, 7))).toBe(true);
    expect(h.nextChange(utc(2026, 3, 8, 7))).toBe(utc(2026, 3, 8, 9)); // 05:00 EDT
    expect(h.nextChange(utc(2026, 3, 8, 9))).toBe(utc(2026, 3, 8, 13)); // 09:00 EDT
    expect(h.nextChange(utc(2026, 3, 8, 13))).toBe(utc(2026, 3, 8, 21)); // 17:00 EDT
    // The Sunday before, on standard time.
    expect(h.nextChange(utc(2026, 3, 1, 0))).toBe(utc(2026, 3, 1, 7, 30)); // 02:30 EST
    expect(h.nextChange(utc(2026, 3, 1, 7, 30))).toBe(utc(2026, 3, 1, 10)); // 05:00 EST
  });

  it('drops an interval the clock skips entirely', () => {
    const h = hours({ timeZone: 'America/New_York', weekly: { sun: ['02:00-02:30', '09:00-17:00'] } });
    expect(h.isOpen(utc(2026, 3, 8, 7))).toBe(false);
    expect(h.nextChange(utc(2026, 3, 8, 0))).toBe(utc(2026, 3, 8, 13));
    expect(h.nextChange(utc(2026, 3, 1, 0))).toBe(utc(2026, 3, 1, 7)); // 02:00 EST the week before
  });

  it('keeps an overnight opening whole across the skipped hour', () => {
    const h = hours({ timeZone: 'America/New_York', weekly: { sat: ['20:00-24:00'], sun: ['00:00-02:00', '03:00-06:00'] } });
    expect(h.nextChange(utc(2026, 3, 7, 23))).toBe(utc(2026, 3, 8, 1)); // Saturday 20:00 EST
    expect(h.nextChange(utc(2026, 3, 8, 1))).toBe(utc(2026, 3, 8, 10)); // Sunday 06:00 EDT
  });

  it('ends an interval whose end the clock shows twice at the first showing', () => {
    const h = hours({ timeZone: 'America/New_York', weekly: { sun: ['00:00-01:30', '09:00-17:00'] } });
    expect(h.isOpen(utc(2026, 11, 1, 5, 29))).toBe(true); // 01:29 EDT
    expect(h.nextChange(utc(2026, 11, 1, 5))).toBe(utc(2026, 11, 1, 5, 30)); // 01:30 EDT
    expect(h.isOpen(utc(2026, 11, 1, 6, 15))).toBe(false); // 01:15 EST, shown a second time
    expect(h.nextChange(utc(2026, 11, 1, 5, 30))).toBe(utc(2026, 11, 1, 14)); // 09:00 EST
    expect(h.nextChange(utc(2026, 11, 1, 14))).toBe(utc(2026, 11, 1, 22)); // 17:00 EST
  });

  it('starts an interval whose start the clock shows twice at the first showing, and keeps it open', () => {
    const h = hours({ timeZone: 'America/New_York', weekly: { sun: ['01:30-03:00'] } });
    expect(h.nextChange(utc(2026, 11, 1, 0))).toBe(utc(2026, 11, 1, 5, 30)); // 01:30 EDT
    expect(h.isOpen(utc(2026, 11, 1, 6, 10))).toBe(true); // 01:10 EST: already open since 01:30 EDT
    expect(h.nextChange(utc(2026, 11, 1, 5, 30))).toBe(utc(2026, 11, 1, 8)); // 03:00 EST
  });
});

describe('daylight saving, Europe/London (GMT = UTC, BST = UTC+1)', () => {
  // Clocks go 01:00 GMT → 02:00 BST at 2026-03-29 01:00 UTC, and 02:00 BST → 01:00 GMT at 2026-10-25 01:00 UTC.
  it('spring forward: 01:30 means 02:00 BST, the first instant after the skip', () => {
    const h = hours({ timeZone: 'Europe/London', weekly: { sun: ['01:30-03:00'] } });
    expect(h.nextChange(utc(2026, 3, 29, 0))).toBe(utc(2026, 3, 29, 1));
    expect(h.nextChange(utc(2026, 3, 29, 1))).toBe(utc(2026, 3, 29, 2)); // 03:00 BST
    expect(h.nextChange(utc(2026, 3, 22, 0))).toBe(utc(2026, 3, 22, 1, 30)); // the Sunday before, GMT
    expect(h.nextChange(utc(2026, 3, 22, 1, 30))).toBe(utc(2026, 3, 22, 3));
  });

  it('fall back: times in the repeated hour mean their first showing', () => {
    const late = hours({ timeZone: 'Europe/London', weekly: { sun: ['01:15-02:00'] } });
    expect(late.nextChange(utc(2026, 10, 25, 0))).toBe(utc(2026, 10, 25, 0, 15)); // 01:15 BST
    expect(late.isOpen(utc(2026, 10, 25, 1, 5))).toBe(true); // 01:05 GMT, the hour shown again
    expect(late.nextChange(utc(2026, 10, 25, 0, 15))).toBe(utc(2026, 10, 25, 2)); // 02:00 GMT
    const early = hours({ timeZone: 'Europe/London', weekly: { sun: ['00:00-01:30'] } });
    expect(early.nextChange(utc(2026, 10, 24, 23, 30))).toBe(utc(2026, 10, 25, 0, 30)); // 01:30 BST
    expect(early.isOpen(utc(2026, 10, 25, 1, 10))).toBe(false); // 01:10 GMT
  });
});

describe('the cached stretch', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers inside the current stretch without reading the time zone', () => {
    const h = hours({ timeZone: 'Europe/London', weekly: { mon: ['09:00-18:00'] } });
    const reads = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const opening = utc(2026, 6, 1, 8); // Monday 09:00 BST
    expect(h.isOpen(opening)).toBe(true);
    const first = reads.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    for (let t = opening; t < utc(2026, 6, 1, 17); t += MINUTE) expect(h.isOpen(t)).toBe(true);
    expect(h.nextChange(opening + HOUR)).toBe(utc(2026, 6, 1, 17));
    expect(reads.mock.calls.length).toBe(first);
    expect(h.isOpen(utc(2026, 6, 1, 17))).toBe(false);
    expect(reads.mock.calls.length).toBeGreaterThan(first);
  });

  it('answers right when asked about an earlier time', () => {
    const h = hours({ timeZone: 'Europe/London', weekly: { mon: ['09:00-18:00'] } });
    expect(h.isOpen(utc(2026, 6, 1, 12))).toBe(true);
    expect(h.isOpen(utc(2026, 6, 1, 7))).toBe(false);
    expect(h.nextChange(utc(2026, 6, 1, 7))).toBe(utc(2026, 6, 1, 8));
  });
});

describe('bad options', () => {
  const week = { mon: ['09:00-18:00'] };
  const cases: [string, unknown, string][] = [
    ['not an object', null, FIELD],
    ['an array', [], FIELD],
    ['a string', 'Asia/Shanghai', FIELD],
    ['an unknown key', { timeZone: 'Asia/Shanghai', weekly: week, holidays: [] }, `${FIELD}.holidays`],
    ['no time zone', { weekly: week }, `${FIELD}.timeZone`],
    ['a time zone that is not a string', { timeZone: 8, weekly: week }, `${FIELD}.timeZone`],
    ['an empty time zone', { timeZone: '', weekly: week }, `${FIELD}.timeZone`],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons', weekly: week }, `${FIELD}.timeZone`],
    ['no weekly', { timeZone: 'Asia/Shanghai' }, `${FIELD}.weekly`],
    ['a weekly array', { timeZone: 'Asia/Shanghai', weekly: [['09:00-18:00']] }, `${FIELD}.weekly`],
    ['a day key not among the seven', { timeZone: 'Asia/Shanghai', weekly: { monday: ['09:00-18:00'] } }, `${FIELD}.weekly.monday`],
    ['a day that is not an array', { timeZone: 'Asia/Shanghai', weekly: { mon: '09:00-18:00' } }, `${FIELD}.weekly.mon`],
    ['an interval without minutes', { timeZone: 'Asia/Shanghai', weekly: { mon: ['9-18'] } }, `${FIELD}.weekly.mon[0]`],
    ['an interval with one digit hours', { timeZone: 'Asia/Shanghai', weekly: { mon: ['9:00-18:00'] } }, `${FIELD}.weekly.mon[0]`],
    ['an interval with spaces', { timeZone: 'Asia/Shanghai', weekly: { mon: ['09:00 - 18:00'] } }, `${FIELD}.weekly.mon[0]`],
    ['hours past 24', { timeZone: 'Asia/Shanghai', weekly: { mon: ['25:00-26:00'] } }, `${FIELD}.weekly.mon[0]`],
    ['a start at 24:00', { timeZone: 'Asia/Shanghai', weekly: { mon: ['24:00-24:00'] } }, `${FIELD}.weekly.mon[0]`],
    ['an end past 24:00', { timeZone: 'Asia/Shanghai', weekly: { mon: ['22:00-24:30'] } }, `${FIELD}.weekly.mon[0]`],
    ['minutes past 59', { timeZone: 'Asia/Shanghai', weekly: { mon: ['09:60-10:00'] } }, `${FIELD}.weekly.mon[0]`],
    ['an end at minute 60', { timeZone: 'Asia/Shanghai', weekly: { mon: ['09:00-10:60'] } }, `${FIELD}.weekly.mon[0]`],
    ['an interval past midnight', { timeZone: 'Asia/Shanghai', weekly: { mon: ['18:00-09:00'] } }, `${FIELD}.weekly.mon[0]`],
    ['an empty interval', { timeZone: 'Asia/Shanghai', weekly: { mon: ['09:00-09:00'] } }, `${FIELD}.weekly.mon[0]`],
    ['an interval that is not a string', { timeZone: 'Asia/Shanghai', weekly: { tue: ['09:00-12:00', 1300] } }, `${FIELD}.weekly.tue[1]`],
    ['overlapping intervals', { timeZone: 'Asia/Shanghai', weekly: { mon: ['12:00-20:00', '09:00-13:00'] } }, `${FIELD}.weekly.mon[1]`],
    ['the same interval twice', { timeZone: 'Asia/Shanghai', weekly: { fri: ['09:00-18:00', '09:00-18:00'] } }, `${FIELD}.weekly.fri[1]`],
    ['an empty week', { timeZone: 'Asia/Shanghai', weekly: {} }, `${FIELD}.weekly`],
    ['a week of empty days', { timeZone: 'Asia/Shanghai', weekly: { mon: [], sun: [] }, closed: ['2026-03-02'] }, `${FIELD}.weekly`],
    ['closed that is not an array', { timeZone: 'Asia/Shanghai', weekly: week, closed: '2026-10-01' }, `${FIELD}.closed`],
    ['a closed date that is not a string', { timeZone: 'Asia/Shanghai', weekly: week, closed: [20261001] }, `${FIELD}.closed[0]`],
    ['a closed date without leading zeros', { timeZone: 'Asia/Shanghai', weekly: week, closed: ['2026-10-01', '2026-2-3'] }, `${FIELD}.closed[1]`],
    ['a 30 February', { timeZone: 'Asia/Shanghai', weekly: week, closed: ['2026-02-30'] }, `${FIELD}.closed[0]`],
    ['a 29 February in a common year', { timeZone: 'Asia/Shanghai', weekly: week, closed: ['2100-02-29'] }, `${FIELD}.closed[0]`],
    ['a 31 April', { timeZone: 'Asia/Shanghai', weekly: week, closed: ['2026-04-31'] }, `${FIELD}.closed[0]`],
    ['month 13', { timeZone: 'Asia/Shanghai', weekly: week, closed: ['2026-13-01'] }, `${FIELD}.closed[0]`],
    ['month 0', { timeZone: 'Asia/Shanghai', weekly: week, closed: ['2026-00-10'] }, `${FIELD}.closed[0]`],
    ['day 0', { timeZone: 'Asia/Shanghai', weekly: week, closed: ['2026-01-00'] }, `${FIELD}.closed[0]`],
  ];

  for (const [name, value, field] of cases) {
    it(`rejects ${name} as INVALID_OPTION at ${field}`, () => {
      let thrown: unknown;
      try {
        parseBusinessHours(value, FIELD);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RoutingError);
      expect((thrown as RoutingError).code).toBe('INVALID_OPTION');
      expect((thrown as RoutingError).field).toBe(field);
      expect((thrown as RoutingError).message).toContain(`\`${field}\``);
    });
  }

  it('says what was expected and what came in', () => {
    expect(() => parseBusinessHours({ timeZone: 'Asia/Shanghai', weekly: { mon: ['9-18'] } }, FIELD)).toThrow(
      "Expected `options.businessHours.weekly.mon[0]` to be an interval 'HH:MM-HH:MM' within one day (00:00 to 24:00, e.g. '09:00-18:00'), got \"9-18\" (string)",
    );
    expect(() => parseBusinessHours({ timeZone: 'Asia/Shanghai', weekly: { mon: ['18:00-09:00'] } }, FIELD)).toThrow(/ends after it starts \(a shift past midnight is two intervals/);
    expect(() => parseBusinessHours({ timeZone: 'Asia/Shanghai', weekly: { mon: ['12:00-20:00', '09:00-13:00'] } }, FIELD)).toThrow(
      'to be an interval that does not overlap `options.businessHours.weekly.mon[0]` ("12:00-20:00"), got "09:00-13:00" (string)',
    );
    expect(() => parseBusinessHours({ timeZone: 'Mars/Olympus_Mons', weekly: { mon: ['09:00-18:00'] } }, FIELD)).toThrow(
      "Expected `options.businessHours.timeZone` to be an IANA time zone name that Intl knows (e.g. 'Asia/Shanghai'), got \"Mars/Olympus_Mons\" (string)",
    );
    expect(() => parseBusinessHours({ timeZone: 'UTC', weekly: { mon: [] }, extra: 1 }, FIELD)).toThrow(
      'Unknown key `options.businessHours.extra`: known keys are timeZone, weekly, closed',
    );
  });

  it('accepts the edges of the valid range', () => {
    const h = parseBusinessHours({ timeZone: 'UTC', weekly: { mon: ['00:00-00:01', '23:59-24:00'], tue: undefined, thu: ['08:00-09:00'] }, closed: ['2024-02-29', '2000-02-29', '2024-02-29'] }, FIELD);
    expect(h.isOpen(Date.UTC(2026, 2, 2, 0, 0))).toBe(true); // a Monday
    expect(h.isOpen(Date.UTC(2026, 2, 2, 0, 1))).toBe(false);
    expect(h.nextChange(Date.UTC(2026, 2, 2, 0, 1))).toBe(Date.UTC(2026, 2, 2, 23, 59));
    expect(h.isOpen(Date.UTC(2024, 1, 29, 8, 30))).toBe(false); // Thursday 29 February 2024, closed
    expect(h.isOpen(Date.UTC(2024, 2, 7, 8, 30))).toBe(true); // the Thursday after
  });
});

describe('against a reference that reads the clock (property)', () => {
  // 2026's clock changes (UTC) of zones that change at 02:00 (New York), at 01:00 UTC (London),
  // at midnight (Santiago), by 30 minutes (Lord Howe), at an odd offset (Chatham, +12:45 / +13:45),
  // and two zones that do not change. Most instants are drawn within a day and a half of a change.
  const CHANGES: Record<string, number[]> = Object.fromEntries(Object.entries({
    'Asia/Shanghai': [],
    'Asia/Kolkata': [],
    'America/New_York': ['2026-03-08T07:00Z', '2026-11-01T06:00Z'],
    'Europe/London': ['2026-03-29T01:00Z', '2026-10-25T01:00Z'],
    'America/Santiago': ['2026-04-05T03:00Z', '2026-09-06T04:00Z'],
    'Australia/Lord_Howe': ['2026-04-04T15:00Z', '2026-10-03T15:30Z'],
    'Pacific/Chatham': ['2026-04-04T14:00Z', '2026-09-26T14:00Z'],
  } satisfies Record<string, string[]>).map(([zone, changes]) => [zone, changes.map((iso) => Date.parse(iso))]));
  const YEAR = Date.UTC(2026, 0, 1);
  const toDate = (t: number): string => new Date(t).toISOString().slice(0, 10);

  const hhmm = (quarter: number): string => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
  // Quarter-hour marks, most of them in the night hours where clocks change (23:00-04:15).
  const mark = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 17 }) },
    { weight: 1, arbitrary: fc.integer({ min: 92, max: 96 }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 96 }) },
  );
  // A day's intervals: distinct marks in order; each interval ends at a mark and the next one starts
  // there (touching) or at the mark after (a gap).
  const day = fc.tuple(fc.uniqueArray(mark, { maxLength: 6 }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 })).map(([marks, touch]) => {
    const sorted = [...marks].sort((a, b) => a - b);
    const intervals: string[] = [];
    for (let i = 0, k = 0; i + 1 < sorted.length; i += touch[k++] === true ? 1 : 2) intervals.push(`${hhmm(sorted[i]!)}-${hhmm(sorted[i + 1]!)}`);
    return intervals;
  });
  const weekly = fc.record({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }, { requiredKeys: [] })
    .filter((w) => Object.values(w).some((d) => d.length > 0));

  const scenario = (count: number) => fc.constantFrom(...Object.keys(CHANGES)).chain((timeZone) => {
    const changes = CHANGES[timeZone]!;
    const instant = changes.length === 0
      ? fc.integer({ min: YEAR, max: YEAR + 365 * DAY })
      : fc.oneof(
        { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -1.5 * DAY, max: 1.5 * DAY })).map(([c, d]) => c + d) },
        { weight: 1, arbitrary: fc.integer({ min: YEAR, max: YEAR + 365 * DAY }) },
      );
    const closedDay = fc.oneof(
      fc.integer({ min: YEAR - 3 * DAY, max: YEAR + 368 * DAY }).map(toDate),
      ...(changes.length === 0 ? [] : [fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -2, max: 2 })).map(([c, d]) => toDate(c + d * DAY))]),
    );
    const spec: fc.Arbitrary<BusinessHoursSpec> = fc.record({ timeZone: fc.constant(timeZone), weekly, closed: fc.uniqueArray(closedDay, { maxLength: 8 }) });
    return fc.tuple(spec, fc.array(instant, { minLength: count, maxLength: count * 20 }));
  });

  const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 1, maxLength: 6 });
  /** `isOpen(at)` is the reference's answer, and so is every instant sampled up to the change `nextChange(at)` names. */
  function agreesUntilTheChange(s: BusinessHoursSpec, at: number, samples: readonly number[]): void {
    const h = hours(s);
    const open = h.isOpen(at);
    expect(open).toBe(modelOpen(s, at));
    const change = h.nextChange(at);
    if (change === undefined) {
      // Only a week open around the clock, with no closed date ahead, never changes.
      expect(Object.values(s.weekly).filter((d) => d.length === 1 && d[0] === '00:00-24:00')).toHaveLength(7);
      // Dates are the shop's: at 00:00 in Shanghai the UTC date is still the day before.
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: s.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
      expect((s.closed ?? []).filter((date) => date >= today)).toEqual([]);
      return;
    }
    expect(change).toBeGreaterThan(at);
    for (const f of samples) expect(modelOpen(s, at + Math.floor(f * (change - at)))).toBe(open);
    expect(modelOpen(s, change - 1)).toBe(open);
    expect(modelOpen(s, change)).toBe(!open);
    expect(hours(s).isOpen(change)).toBe(!open);
  }

  it('is open exactly when the reference says, and stays so until the change it names', () => {
    fc.assert(
      fc.property(scenario(1), fractions, ([s, [t]], samples) => agreesUntilTheChange(s, t!, samples)),
      { numRuns: 500 },
    );
  });

  it('finds the opening after weeks in a row whose open days are closed, and the closed date that ends an open-all-week stretch', () => {
    // One or two open weekdays, each closed on up to 6 of its dates in a row from the instant on;
    // or every day open around the clock, with up to 20 closed dates (runs of them included).
    const sparse = fc.record({
      timeZone: fc.constantFrom(...Object.keys(CHANGES)),
      days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 2 }),
      interval: day.filter((d) => d.length > 0),
      weeks: fc.integer({ min: 0, max: 6 }),
      at: fc.integer({ min: YEAR, max: YEAR + 365 * DAY }),
    }).map(({ timeZone, days, interval, weeks, at }): [BusinessHoursSpec, number] => {
      const closed: string[] = [];
      for (const name of days) {
        // The first date of that weekday from the day before the instant's (UTC) date on.
        let first = Math.floor(at / DAY) - 1;
        while (WEEKDAYS[new Date(first * DAY).getUTCDay()] !== name) first += 1;
        for (let w = 0; w < weeks; w += 1) closed.push(toDate((first + 7 * w) * DAY));
      }
      return [{ timeZone, weekly: Object.fromEntries(days.map((name) => [name, interval])), closed }, at];
    });
    const allWeek = fc.record({
      timeZone: fc.constantFrom(...Object.keys(CHANGES)),
      closed: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 20 }).map((starts) => starts.flatMap((d, i) => (i % 3 === 0 ? [d, d + 1, d + 2] : [d]))),
      at: fc.integer({ min: YEAR, max: YEAR + 365 * DAY }),
    }).map(({ timeZone, closed, at }): [BusinessHoursSpec, number] => [{
      timeZone,
      weekly: Object.fromEntries(WEEKDAYS.map((name) => [name, ['00:00-24:00']])),
      closed: [...new Set(closed.map((d) => toDate(YEAR - 3 * DAY + d * DAY)))],
    }, at]);
    fc.assert(
      fc.property(fc.oneof(sparse, allWeek), fractions, ([s, at], samples) => agreesUntilTheChange(s, at, samples)),
      { numRuns: 300 },
    );
  });

  it('gives the reference’s answers through a run of calls on one instance, in any order', () => {
    fc.assert(
      fc.property(scenario(2), fc.boolean(), ([s, times], sorted) => {
        const h = hours(s);
        const order = sorted ? [...times].sort((a, b) => a - b) : times;
        for (const t of order) expect(h.isOpen(t)).toBe(modelOpen(s, t));
      }),
      { numRuns: 100 },
    );
  });
});
