import type { Scenario } from './scenario.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The demo shop's busy hour (20:00–21:00 of every simulated day), when traffic triples. */
export const DEMO_BUSY_HOUR = 20;

/** Consultations per hour of the day: quiet at night, a working-day plateau, the evening busy hour. */
const PER_HOUR: readonly number[] = [
  4, 2, 1, 1, 1, 2, 4, 8, 16, 30, 40, 44, 38, 40, 44, 42, 38, 36, 40, 56, 150, 70, 40, 14,
];

/** Three working days, 09:00–23:00. */
const EVERY_DAY = [0, 1, 2].map((d) => ({ from: d * DAY + 9 * HOUR, to: d * DAY + 23 * HOUR }));

/**
 * The built-in demo shop that `fenliu simulate` runs without a file: three days of a small Taobao
 * shop, built around seed 001's stories.
 *
 * - Group binding: `xiaomei` (agent A) is in group `jia`, bound to the order states `none` (no
 *   active order), `unshipped` and `shipped`; `ahua` (agent B) is in group `yi`, bound to no order
 *   state. Consultations in the bound states go to A only; the rest are shared.
 * - Recent contacts: `laowang` works all three days; `xiaoxin` joins on day 3. A third of arrivals
 *   are returning customers, whom laowang has served on days 1 and 2.
 * - A busy hour (20:00–21:00) at three times the daytime traffic.
 * - A robot (店小蜜) in mixed mode: 30 % of consultations go robot-first; it resolves 40 % of its
 *   chats and hands the rest over after 20 s. At night, with no agent on duty, it takes everything.
 *
 * Returns a fresh object each call, so a caller may change it.
 */
export function demoScenario(): Scenario {
  const reply = { kind: 'lognormal', medianMs: 20_000, sigma: 0.6 } as const;
  const handle = { kind: 'lognormal', medianMs: 300_000, sigma: 0.5 } as const;
  return {
    router: {
      splitMode: 'average',
      receptionMode: 'mixed',
      robot: true,
      robotRatio: 0.3,
      groups: [
        { id: 'jia', orderStates: ['none', 'unshipped', 'shipped'] },
        { id: 'yi' },
      ],
    },
    agents: [
      { id: 'xiaomei', cap: 5, groups: ['jia'], shifts: EVERY_DAY, replyTimeMs: { ...reply }, handleTimeMs: { ...handle } },
      { id: 'ahua', cap: 5, groups: ['yi'], shifts: EVERY_DAY, replyTimeMs: { ...reply }, handleTimeMs: { ...handle } },
      { id: 'laowang', cap: 5, groups: ['yi'], shifts: EVERY_DAY, replyTimeMs: { ...reply }, handleTimeMs: { ...handle } },
      { id: 'xiaoxin', cap: 5, groups: ['yi'], shifts: EVERY_DAY.slice(2), replyTimeMs: { ...reply }, handleTimeMs: { ...handle } },
    ],
    arrivals: { perHour: [...PER_HOUR] },
    customers: {
      returningShare: 0.35,
      orderStates: { none: 3, unpaid: 3, unshipped: 1, shipped: 1, refunding: 1, completed: 1 },
      patienceMs: { kind: 'exponential', meanMs: 5 * 60_000 },
    },
    robot: { resolveShare: 0.4 },
    durationMs: 3 * DAY,
    seed: 1,
  };
}
