import { Router, RoutingError, type Decision, type RouterOptions } from '../src/index.js';

/** A router on a manual clock: `tick(ms)` moves time forward. */
export function shop(options: RouterOptions = {}): { router: Router; tick: (ms?: number) => number; now: () => number } {
  let now = 1_000_000;
  const router = new Router({ clock: () => now, ...options });
  return { router, tick: (ms = 1) => (now += ms), now: () => now };
}

/** The agent a decision went to, or a description of where else it went. */
export function target(d: Decision): string {
  switch (d.kind) {
    case 'agent': return d.agentId;
    case 'robot': return 'robot';
    case 'queued': return 'queue';
    case 'offline': return `offline:${d.accountId}`;
  }
}

export function countBy<T>(items: Iterable<T>, key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

/** The RoutingError `run` throws; fails the test when it throws none (or something else). */
export function thrown(run: () => unknown): RoutingError {
  try {
    run();
  } catch (error) {
    if (error instanceof RoutingError) return error;
    throw error;
  }
  throw new Error('expected a RoutingError');
}
