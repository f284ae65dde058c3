import fc from 'fast-check';
import type { ConversationEvent } from '../../src/metrics/index.js';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** 2024-06-01 00:00 in the shop's default time zone (UTC+8): the start of "day 0" in the tests. */
export const DAY0 = Date.UTC(2024, 5, 1) - 8 * HOUR;

/** A time on `day` (0 = 2024-06-01, UTC+8) at `hh:mm:ss`. */
export function at(day: number, hh: number, mm = 0, ss = 0): number {
  return DAY0 + day * DAY + hh * HOUR + mm * MINUTE + ss * SECOND;
}

/** One step of a random shop: which customer does what after how long. */
interface Step {
  customer: number;
  action: number;
  agent: number;
  dt: number;
  amount: number;
  units: number;
  filtered: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  customer: fc.nat(5),
  action: fc.nat(11),
  agent: fc.nat(2),
  // Mostly chat-paced gaps, sometimes a jump of up to three days to cross day boundaries and settling windows.
  dt: fc.oneof({ weight: 12, arbitrary: fc.nat(3 * MINUTE) }, { weight: 1, arbitrary: fc.nat(3 * DAY) }),
  amount: fc.nat(500),
  units: fc.nat(4),
  filtered: fc.boolean(),
});

/**
 * Turns random steps into a well-formed log: a conversation event for a customer without an open
 * conversation first opens one (`consultation`, usually `assigned`).
 */
export function buildLog(steps: readonly Step[], prefix = '', start = DAY0): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  const open = new Set<string>();
  let time = start;
  for (const s of steps) {
    time += s.dt;
    const customerId = `${prefix}c${s.customer}`;
    const agentId = `${prefix}a${s.agent}`;
    const base = { at: time, customerId };
    if (s.action === 10) {
      events.push({ type: 'order-placed', ...base, orderId: `o${events.length}` });
      continue;
    }
    if (s.action === 11) {
      events.push({ type: 'order-paid', ...base, orderId: `o${events.length}`, amount: s.amount, units: s.units });
      continue;
    }
    if (!open.has(customerId)) {
      open.add(customerId);
      events.push({ type: 'consultation', ...base, ...(s.filtered && s.action % 3 === 0 ? { filtered: true } : {}) });
      if (s.action === 9) events.push({ type: 'assigned', ...base, robot: true });
      else if (s.action !== 8) events.push({ type: 'assigned', ...base, agentId });
      continue;
    }
    switch (s.action) {
      case 0: case 1: case 2:
        events.push({ type: 'customer-message', ...base });
        break;
      case 3: case 4:
        events.push({ type: 'agent-reply', ...base, agentId });
        break;
      case 5:
        events.push(s.agent === 0 ? { type: 'auto-reply', ...base } : { type: 'robot-reply', ...base });
        break;
      case 6:
        events.push({ type: 'transfer', ...base, fromAgentId: `${prefix}a${(s.agent + 1) % 3}`, toAgentId: agentId });
        break;
      case 7:
        events.push({ type: 'end', ...base });
        open.delete(customerId);
        break;
      case 8:
        events.push({ type: 'consultation', ...base });
        break;
      default:
        events.push({ type: 'assigned', ...base, robot: true });
    }
  }
  return events;
}

/** A random well-formed log of up to `maxSteps` steps. */
export function arbitraryLog(maxSteps = 80, prefix = ''): fc.Arbitrary<ConversationEvent[]> {
  return fc.array(step, { maxLength: maxSteps, size: 'max' }).map((steps) => buildLog(steps, prefix));
}

/** Merges two time-ordered logs into one time-ordered log. */
export function mergeLogs(a: readonly ConversationEvent[], b: readonly ConversationEvent[]): ConversationEvent[] {
  const out: ConversationEvent[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.at <= y.at)) {
      out.push(x as ConversationEvent);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** Sorts a hand-written log by time; events at the same time keep their written order. */
export function byTime(events: readonly ConversationEvent[]): ConversationEvent[] {
  return [...events].sort((x, y) => x.at - y.at);
}
