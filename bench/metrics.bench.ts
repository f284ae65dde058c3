/**
 * computeMetrics over a generated 1,000,000-event log: a shop of 30 agents and ~60 000
 * conversations over two weeks, each with messages, replies, the odd transfer, robot hand-over,
 * filtered spam, orders and payments. Run: `npx vitest bench --run bench/metrics.bench.ts`.
 *
 * The baseline walks the same log and touches every event, so the difference is the metrics' own cost.
 */
import { Heap } from 'heap-js';
import { afterAll, bench, describe } from 'vitest';
import { computeMetrics } from '../src/metrics/index.js';
import type { ConversationEvent } from '../src/metrics/index.js';
import { Prng } from './prng.js';

const EVENTS = 1_000_000;
const AGENTS = 30;


/** One conversation's script: its events in time order, emitted lazily through the merge heap. */
function conversation(below: (n: number) => number, customerId: string, start: number): ConversationEvent[] {
  const out: ConversationEvent[] = [];
  let t = start;
  let agent = `agent-${below(AGENTS)}`;
  out.push({ type: 'consultation', at: t, customerId, ...(below(20) === 0 ? { filtered: true } : {}) });
  if (below(10) === 0) {
    out.push({ type: 'assigned', at: t, customerId, robot: true });
    t += 1_000 + below(20_000);
    out.push({ type: 'customer-message', at: t, customerId });
    t += 500;
    out.push({ type: 'robot-reply', at: t, customerId });
    t += below(60_000);
    out.push({ type: 'consultation', at: t, customerId });
  }
  out.push({ type: 'assigned', at: t, customerId, agentId: agent });
  const exchanges = 2 + below(6);
  for (let i = 0; i < exchanges; i++) {
    t += 2_000 + below(120_000);
    out.push({ type: 'customer-message', at: t, customerId });
    if (below(3) === 0) {
      t += 1_000;
      out.push({ type: 'customer-message', at: t, customerId });
    }
    if (i === 0 && below(4) === 0) out.push({ type: 'auto-reply', at: t + 200, customerId, agentId: agent });
    if (below(40) === 0) {
      const next = `agent-${below(AGENTS)}`;
      t += 5_000;
      out.push({ type: 'transfer', at: t, customerId, fromAgentId: agent, toAgentId: next });
      agent = next;
    }
    if (below(15) !== 0) {
      t += 1_000 + below(below(10) === 0 ? 600_000 : 90_000);
      out.push({ type: 'agent-reply', at: t, customerId, agentId: agent });
    }
  }
  t += 10_000 + below(600_000);
  out.push({ type: 'end', at: t, customerId });
  if (below(3) === 0) {
    t += below(2 * 86_400_000);
    out.push({ type: 'order-placed', at: t, customerId, orderId: `${customerId}-o` });
    if (below(4) !== 0) {
      t += below(3 * 86_400_000);
      out.push({ type: 'order-paid', at: t, customerId, orderId: `${customerId}-o`, amount: 20 + below(500), units: 1 + below(3) });
    }
  }
  return out;
}

/** Exactly `count` events in time order: conversations start every ~20 s and interleave. */
function generateLog(count: number): ConversationEvent[] {
  const rng = new Prng(20240601);
  const below = (n: number): number => rng.below(n);
  const heap = new Heap<{ events: ConversationEvent[]; next: number }>((x, y) => (x.events[x.next] as ConversationEvent).at - (y.events[y.next] as ConversationEvent).at);
  const log: ConversationEvent[] = [];
  let start = Date.UTC(2024, 5, 1) - 8 * 3_600_000;
  let customers = 0;
  /** Customers whose conversation has not ended yet. */
  const open = new Set<string>();
  while (log.length < count) {
    // Keep starting conversations until the earliest pending event is before the next start.
    const head = heap.peek();
    if (head === undefined || (head.events[head.next] as ConversationEvent).at >= start) {
      // Returning customers (a pool of 40 000) make the same-day and next-day rules bite; one
      // whose previous chat is still open is replaced by a new customer (one chat at a time).
      let customerId = `customer-${below(40_000)}`;
      if (open.has(customerId)) customerId = `customer-new-${customers}`;
      open.add(customerId);
      heap.push({ events: conversation(below, customerId, start), next: 0 });
      customers++;
      start += 1_000 + below(38_000);
      continue;
    }
    heap.pop();
    const event = head.events[head.next] as ConversationEvent;
    log.push(event);
    if (event.type === 'end') open.delete(event.customerId);
    head.next++;
    if (head.next < head.events.length) heap.push(head);
  }
  return log;
}

const log = generateLog(EVENTS);
let best = Infinity;
const times: number[] = [];

describe(`reception metrics over ${log.length.toLocaleString('en-US')} events`, () => {
  bench(
    'baseline: walk the log',
    () => {
      let sum = 0;
      for (const event of log) sum += event.at + event.customerId.length;
      if (sum === 0) throw new Error('unreachable');
    },
    { iterations: 5, warmupIterations: 1, time: 0 },
  );

  bench(
    'computeMetrics',
    () => {
      const started = performance.now();
      const report = computeMetrics(log);
      const elapsed = performance.now() - started;
      times.push(elapsed);
      best = Math.min(best, elapsed);
      if (report.shop.consultations === 0) throw new Error('empty report');
    },
    { iterations: 5, warmupIterations: 1, time: 0 },
  );
});

afterAll(() => {
  const rate = (ms: number): string => Math.round((log.length / ms) * 1000).toLocaleString('en-US');
  const sorted = [...times].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  console.log(
    `computeMetrics: ${log.length.toLocaleString('en-US')} events — best ${best.toFixed(0)} ms (${rate(best)} events/s), ` +
      `median ${median.toFixed(0)} ms (${rate(median)} events/s) over ${times.length} runs`,
  );
});
