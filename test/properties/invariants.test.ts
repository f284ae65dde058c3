import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentView, Decision } from '../../src/index.js';
import { GROUPS, harness, opsArb, optionsArb, type Op } from './ops.js';

const boundGroups = (state: string): string[] => GROUPS.filter((g) => g.orderStates?.includes(state)).map((g) => g.id);

describe('invariants over random call sequences (fast-check)', () => {
  it('never assigns an offline, at-cap, wrongly suspended or out-of-group human; nothing routed is lost', () => {
    fc.assert(
      fc.property(optionsArb, opsArb(150), (options, ops) => {
        const { router, apply, now } = harness(options);
        const where = new Map<string, string>(); // customer → agent id | robot | queue | offline
        const stateOf = new Map<string, string>();
        const arrivedAt = new Map<string, number>();
        for (const op of ops) {
          const before = new Map(router.agents().map((a) => [a.id, a]));
          const queueBefore = router.queue().map((q) => q.customerId);
          const result = apply(op);
          if (!Array.isArray(result)) continue;
          if (op.op === 'route') {
            stateOf.set(op.customerId, op.orderState);
            arrivedAt.set(op.customerId, now());
          }
          // Drains serve the queue in its order.
          const drained = result.filter((d) => d.kind === 'agent' && d.waitedMs !== undefined).map((d) => queueBefore.indexOf(d.customerId));
          expect(drained).toEqual([...drained].sort((x, y) => x - y));
          if (op.op === 'end') where.delete(op.customerId);
          const after = new Map(router.agents().map((a) => [a.id, a]));
          for (const d of result) {
            where.set(d.customerId, d.kind === 'agent' ? `agent:${d.agentId}` : d.kind);
            if (d.kind !== 'agent') continue;
            const agent = after.get(d.agentId) as AgentView;
            // Caps limit new assignments: whoever received one is within its cap afterwards.
            expect(agent.active).toBeLessThanOrEqual(agent.cap);
            expect(agent.status).not.toBe('offline');
            if (agent.status === 'suspended') {
              expect(['recent-contact', 'transfer']).toContain(d.reason);
              expect(options.stickyToSuspended || d.reason === 'transfer').toBe(true);
            }
            if (d.reason === 'split' || d.reason === 'busy-fallback') {
              const bound = boundGroups(stateOf.get(d.customerId) as string);
              if (bound.length > 0) expect(agent.groups.some((g) => bound.includes(g))).toBe(true);
              expect(d.reroutedFrom).not.toBe(d.agentId);
            }
            if (op.op === 'route' && (d.reason === 'split' || d.reason === 'busy-fallback')) {
              checkBusyRule(d, before, options.busyThreshold as number, options.splitMode === 'weighted', boundGroups(op.orderState));
            }
          }
          // Conservation: every open consultation is in exactly one place, as the decisions said.
          for (const a of router.agents()) {
            expect(a.active).toBe([...where.values()].filter((w) => w === `agent:${a.id}`).length);
          }
          const queued = router.queue();
          // Re-routed or not, a queued consultation keeps its original arrival time.
          for (const q of queued) expect(q.since).toBe(arrivedAt.get(q.customerId));
          expect(new Set(queued.map((q) => q.customerId))).toEqual(new Set([...where].filter(([, w]) => w === 'queued').map(([c]) => c)));
          for (let i = 1; i < queued.length; i++) {
            const p = queued[i - 1]!;
            const q = queued[i]!;
            expect(p.priority > q.priority || (p.priority === q.priority && p.since <= q.since)).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('determinism: the same options and calls give identical decisions', () => {
    fc.assert(
      fc.property(optionsArb, opsArb(120), (options, ops) => {
        const run = (): string => {
          const { apply } = harness(options);
          return JSON.stringify(ops.map((op: Op) => {
            const r = apply(op);
            return Array.isArray(r) ? r : r.code;
          }));
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 200 },
    );
  });
});

/** Rule 6 on a fresh consultation: a non-busy eligible agent beats any busy one; else the least loaded. */
function checkBusyRule(d: Decision & { kind: 'agent' }, before: Map<string, AgentView>, threshold: number, weighted: boolean, bound: string[]): void {
  const eligible = [...before.values()].filter((a) => a.status === 'online' && a.active < a.cap && (bound.length === 0 || a.groups.some((g) => bound.includes(g))));
  const chosen = before.get(d.agentId) as AgentView;
  expect(eligible.map((a) => a.id)).toContain(d.agentId);
  const nonBusy = eligible.filter((a) => a.pending <= threshold);
  if (d.reason === 'split') {
    expect(chosen.pending).toBeLessThanOrEqual(threshold);
  } else {
    expect(nonBusy).toEqual([]);
    const load = (a: AgentView): number => (weighted ? a.pending / a.weight : a.pending);
    expect(load(chosen)).toBe(Math.min(...eligible.map(load)));
  }
}
