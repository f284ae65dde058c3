import { expect, test } from 'vitest';
import { Router } from '../src/index.js';
import type { AgentStatus, Consultation, Decision, RouterOptions } from '../src/index.js';

// Misuse that must not compile. `tsc --noEmit` (part of `npm test`) fails if any of these
// `@ts-expect-error` lines stops being an error. The function is never called: only the types matter.
function misuse(router: Router, decision: Decision): void {
  // @ts-expect-error — not a status
  router.setStatus('a', 'busy');
  // @ts-expect-error — not a status
  router.upsertAgent({ id: 'a', status: 'away' });
  // @ts-expect-error — not a status
  const status: AgentStatus = 'idle';
  // @ts-expect-error — customerId is required
  router.route({ orderState: 'unpaid' });
  // @ts-expect-error — customerId is required
  const consultation: Consultation = { priority: 1 };
  // @ts-expect-error — agentId exists on the 'agent' variant only: narrow on kind first
  console.log(decision.agentId);
  // @ts-expect-error — accountId exists on the 'offline' variant only
  console.log(decision.accountId);
  if (decision.kind === 'robot') {
    // @ts-expect-error — a robot decision has no agentId
    console.log(decision.agentId);
  }
  // @ts-expect-error — not a reroute reason
  router.reroute('c1', { reason: 'bored' });
  // @ts-expect-error — not a split mode
  const options: RouterOptions = { splitMode: 'round-robin' };
  // @ts-expect-error — restore takes only a clock besides the snapshot
  Router.restore(router.snapshot(), { busyThreshold: 2 });
  console.log(status, consultation, options);
}

// What must compile: narrowing on kind gives the variant's fields.
function narrowed(decision: Decision): string {
  switch (decision.kind) {
    case 'agent': return decision.agentId;
    case 'offline': return decision.accountId;
    case 'queued': return String(decision.position);
    case 'robot': return decision.reason;
  }
}

test('type misuse fails to compile (checked by tsc); narrowing works at run time', () => {
  expect(typeof misuse).toBe('function');
  const router = new Router({ clock: () => 0 });
  router.upsertAgent({ id: 'a', status: 'online' });
  expect(narrowed(router.route({ customerId: 'c1' }))).toBe('a');
});
