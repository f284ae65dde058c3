import { afterAll, describe, expect, it } from 'vitest';
import { Router } from '../../src/index.js';
import type { Decision } from '../../src/index.js';
import { Prng } from '../../src/simulate/prng.js';
import { LinearRouter } from './linear-router.js';
import type { LinearDecision } from './linear-router.js';

// fenliu against the linear-scan router, decision by decision, on random runs of the calls both
// support: routes of new and returning customers, ends, declines, pending counts, agents going off
// and on line, agents joining. The linear router keeps no heap; it finds every agent by scanning, with
// fenliu's rules and floating-point steps, so any difference is a heap, queue or fair-share bug.


const text = (d: Decision | LinearDecision): string => {
  const from = d.reroutedFrom === undefined ? '' : ` from ${d.reroutedFrom}`;
  if (d.kind === 'agent') return `${d.customerId} → ${d.agentId} (${d.reason}${d.waitedMs === undefined ? '' : `, waited ${d.waitedMs}`})${from}`;
  if (d.kind === 'queued') return `${d.customerId} queued #${d.position}${from}`;
  return `${d.customerId} ${d.kind}${from}`;
};

const HOUR = 3_600_000;
/** Every kind of decision the runs made, so that none of the paths goes unexercised. */
const seen = new Set<string>();

/** Runs `steps` random calls through both routers; returns how many decisions matched. */
function compare(agents: number, steps: number, seed: number): number {
  const rng = Prng.stream(seed, 0);
  const below = (n: number): number => rng.below(n);
  const fenliu = new Router({ splitMode: 'weighted' });
  const linear = new LinearRouter();
  let at = Date.UTC(2026, 10, 11);
  let decisions = 0;
  const same = (op: string, a: Decision | Decision[], b: LinearDecision | LinearDecision[]): void => {
    const x = (Array.isArray(a) ? a : [a]).map(text);
    const y = (Array.isArray(b) ? b : [b]).map(text);
    if (x.join('; ') !== y.join('; ')) expect.fail(`seed ${seed}, ${agents} agents, ${op}: fenliu [${x.join('; ')}], linear [${y.join('; ')}]`);
    decisions += x.length;
    for (const d of Array.isArray(a) ? a : [a]) seen.add(`${d.kind === 'queued' ? 'queued' : d.reason}${d.kind === 'agent' && d.waitedMs !== undefined ? ', from the queue' : ''}${d.reroutedFrom === undefined ? '' : ', re-routed'}`);
  };
  const ids: string[] = [];
  const add = (): void => {
    const id = `agent-${ids.length}`;
    ids.push(id);
    const weight = 1 + below(10);
    const cap = 1 + below(10);
    same(`add ${id}`, fenliu.upsertAgent({ id, status: 'online', weight, cap }, at), linear.addAgent(id, weight, cap, at));
  };
  for (let a = 0; a < agents; a++) add();
  const open: string[] = [];
  const ended: string[] = [];
  let fresh = 0;
  for (let step = 0; step < steps; step++) {
    // Mostly seconds apart; now and then past the 72 h window, so remembered contacts expire.
    at += below(1_000) === 0 ? 73 * HOUR : below(3_000);
    const r = below(100);
    if (r < 40 || open.length === 0) {
      const returning = ended.length > 0 && below(10) < 3;
      const k = returning ? below(ended.length) : -1;
      const id = returning ? (ended[k] as string) : `buyer-${fresh++}`;
      if (returning) ended[k] = ended[ended.length - 1] as string, ended.pop();
      open.push(id);
      same(`route ${id}`, fenliu.route({ customerId: id, at }), linear.route(id, at));
    } else if (r < 72) {
      const k = below(open.length);
      const id = open[k] as string;
      open[k] = open[open.length - 1] as string;
      open.pop();
      ended.push(id);
      same(`end ${id}`, fenliu.end(id, at), linear.end(id, at));
    } else if (r < 78) {
      // Declines in a row pass the chat on, kept from every agent that had it: past all the due
      // agents, the pick falls to the agent with the least virtual finish.
      const id = open[below(open.length)] as string;
      for (let k = below(4); k >= 0 && fenliu.consultation(id)?.kind === 'agent'; k--) {
        same(`decline ${id}`, fenliu.reroute(id, { reason: 'declined', at }), linear.decline(id, at));
      }
    } else if (r < 93) {
      const id = ids[below(ids.length)] as string;
      const pending = below(8);
      fenliu.setPending(id, pending);
      linear.setPending(id, pending);
    } else if (r < 99) {
      const id = ids[below(ids.length)] as string;
      const status = below(3) === 0 ? 'offline' : 'online';
      same(`${id} ${status}`, fenliu.setStatus(id, status, at), linear.setStatus(id, status, at));
    } else if (ids.length < 2 * agents) {
      add();
    }
  }
  for (const id of ids) expect(fenliu.getAgent(id)?.assigned).toBe(linear.assigned(id));
  return decisions;
}

describe('fenliu decides as the linear-scan router', () => {
  it.each([1, 2, 3, 10, 100, 1_000])('with %i agents, every decision of 3 random runs', (agents) => {
    let decisions = 0;
    for (const seed of [1, 2, 3]) decisions += compare(agents, 10_000, seed * 7_919 + agents);
    expect(decisions).toBeGreaterThan(5_000);
  });

  afterAll(() => {
    // The runs went through every rule of the path: sticky, split, busy, queue, drain, re-route.
    for (const kind of ['recent-contact', 'split', 'busy-fallback', 'queued', 'split, from the queue', 'split, re-routed', 'queued, re-routed']) expect(seen).toContain(kind);
  });
});
afterAll(() => console.log('FALLBACK', (globalThis as any).__fallback));
