import { describe, expect, it } from 'vitest';
import { compare, simulate, type Scenario, type SimulationResult } from '../../src/simulate/index.js';
import type { BusinessHoursSpec } from '../../src/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

const NINE_TO_SIX = ['09:00-18:00'];
const EVERY_DAY: BusinessHoursSpec['weekly'] = { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX, sat: NINE_TO_SIX, sun: NINE_TO_SIX };

/** Open 09:00–18:00 of simulated time (time zone UTC), every day. */
const hours: BusinessHoursSpec = { timeZone: 'UTC', weekly: EVERY_DAY };

const open = (at: number): boolean => {
  const inDay = at % DAY;
  return inDay >= 9 * HOUR && inDay < 18 * HOUR;
};

/** Two days of a shop whose agents are online around the clock, with a robot that resolves half of its chats. */
const shop: Scenario = {
  router: { robot: true },
  agents: [{ id: 'a', cap: 3 }, { id: 'b', cap: 3 }],
  arrivals: { perHour: 20 },
  customers: { returningShare: 0.1 },
  robot: { resolveShare: 0.5 },
  durationMs: 2 * DAY,
  sampleEveryMs: MINUTE,
  seed: 31,
};

describe('business hours in simulated runs', () => {
  it('compare(): business hours with the robot at night against 24 h — the robot takes the night, no human works outside the hours, the queue is served at the opening', () => {
    const { runs } = compare(shop, { '09:00-18:00': { router: { robot: true, businessHours: hours } } });
    const [allDay, daytime] = runs.map((r) => r.result) as [SimulationResult, SimulationResult];

    // Around the clock, humans take everything; nothing is closed.
    expect(allDay.summary.closed).toBe(0);
    expect(allDay.decisions.some((d) => d.reason === 'closed')).toBe(false);
    expect(allDay.decisions.some((d) => d.kind === 'agent' && !open(d.at))).toBe(true);

    // With business hours: every consultation arriving outside them went to the robot, reason 'closed'.
    const night = daytime.consultations.filter((c) => !open(c.arrivedAt));
    expect(night.length).toBeGreaterThan(100);
    expect(daytime.summary.closed).toBe(night.length);
    for (const c of night) {
      const first = daytime.decisions.find((d) => d.customerId === c.customerId && d.at === c.arrivedAt);
      expect(first).toMatchObject({ kind: 'robot', reason: 'closed' });
    }
    for (const c of daytime.consultations.filter((x) => open(x.arrivedAt))) {
      const first = daytime.decisions.find((d) => d.customerId === c.customerId && d.at === c.arrivedAt);
      expect(first?.reason).not.toBe('closed');
    }
    // No human outside the hours; the robot's hand-overs at night wait in the queue.
    expect(daytime.decisions.filter((d) => d.kind === 'agent' && !open(d.at))).toEqual([]);
    expect(daytime.decisions.some((d) => d.kind === 'queued' && d.reason === 'closed')).toBe(true);
    // The queue is served at 09:00 on each day, as far as the agents' caps allow.
    for (const day of [0, 1]) {
      const opening = day * DAY + 9 * HOUR;
      const queueAt = (at: number): number => daytime.series.queue[daytime.series.times.indexOf(at)] as number;
      const atOpening = daytime.decisions.filter((d) => d.kind === 'agent' && d.at === opening);
      expect(queueAt(opening - MINUTE)).toBeGreaterThan(0);
      expect(atOpening.length).toBeGreaterThan(0);
      // Both agents are free after the night: either every slot was filled, or the queue emptied.
      expect(atOpening.length === 6 || queueAt(opening) === 0).toBe(true);
      for (const d of atOpening) expect(d.waitedMs).toBeGreaterThan(0);
    }
    // The robot resolves more of the traffic when it holds the night alone.
    expect(daytime.summary.robotResolved).toBeGreaterThan(allDay.summary.robotResolved);
    expect(daytime.summary.responseRate1m as number).toBeLessThan(allDay.summary.responseRate1m as number);
  });

  it('without a robot, a consultation outside the hours queues (reason closed) or is an offline message', () => {
    const queued = simulate({ ...shop, router: { businessHours: hours }, robot: undefined });
    const closed = queued.decisions.filter((d) => d.reason === 'closed');
    expect(closed.length).toBe(queued.summary.closed);
    expect(closed.every((d) => d.kind === 'queued' && !open(d.at))).toBe(true);
    expect(queued.decisions.filter((d) => d.kind === 'agent' && !open(d.at))).toEqual([]);

    const offline = simulate({ ...shop, router: { businessHours: hours, noAgent: 'main', mainAccountId: 'boss' }, robot: undefined });
    expect(offline.summary.offlineMessages).toBe(offline.summary.closed);
    expect(offline.decisions.filter((d) => d.reason === 'closed').every((d) => d.kind === 'offline')).toBe(true);
  });

  it('hours are read at simulated time as UTC: 09:00 in Asia/Shanghai is 01:00 simulated', () => {
    const shanghai = simulate({ ...shop, router: { businessHours: { timeZone: 'Asia/Shanghai', weekly: EVERY_DAY } }, robot: undefined, durationMs: DAY });
    const served = shanghai.decisions.filter((d) => d.kind === 'agent');
    // Open 01:00–10:00 simulated; the night's queue is served at 01:00 sharp.
    expect(served.every((d) => d.at % DAY >= HOUR && d.at % DAY < 10 * HOUR)).toBe(true);
    expect(served[0]?.at).toBe(HOUR);
  });

  it('day 0 of simulated time is a Thursday, 1970-01-01', () => {
    const thursdays = simulate({ ...shop, router: { businessHours: { timeZone: 'UTC', weekly: { thu: ['00:00-24:00'] } } }, robot: undefined });
    const closedAt = thursdays.decisions.filter((d) => d.reason === 'closed').map((d) => d.at);
    expect(closedAt.length).toBeGreaterThan(0);
    expect(closedAt.every((at) => at >= DAY)).toBe(true);
    const holiday = simulate({ ...shop, router: { businessHours: { ...hours, closed: ['1970-01-02'] } }, robot: undefined });
    expect(holiday.decisions.filter((d) => d.kind === 'agent' && d.at >= DAY && d.at < 2 * DAY)).toEqual([]);
  });
});
