import { Router } from '../src/index.js';

/**
 * Bytes per agent, per remembered contact and per candidate pool: heap used plus typed arrays' stores after full GCs, before
 * and after building the thing measured, over its count. Needs `node --expose-gc`; run.ts runs it in a child, reads its JSON.
 */
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench/memory.ts needs node --expose-gc');
const used = (): number => (gc(), gc(), process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers);

const AGENTS = 100_000;
const CONTACTS = 1_000_000;
const agentIds = Array.from({ length: AGENTS }, (_, i) => `agent-${i}`);
let before = used();
const shop = new Router({ splitMode: 'weighted' });
for (let i = 0; i < AGENTS; i++) shop.upsertAgent({ id: agentIds[i] as string, status: 'online', weight: 1 + (i % 10), cap: 8 }, 0);
shop.end(shop.route({ customerId: 'first', at: 0 }).customerId, 0); // the every-agent pool is made on first need
const bytesPerAgent = (used() - before) / AGENTS;

// The customer ids are the caller's strings: made before the measurement, and reported apart.
before = used();
const customerIds = Array.from({ length: CONTACTS }, (_, i) => `buyer-${i}`);
const bytesPerCustomerId = (used() - before) / CONTACTS;
const router = new Router({ splitMode: 'weighted' });
for (let a = 0; a < 10; a++) router.upsertAgent({ id: `agent-${a}`, status: 'online', weight: 1 + a }, 0);
before = used();
for (let i = 0; i < CONTACTS; i++) router.route({ customerId: customerIds[i] as string, at: i }), router.end(customerIds[i] as string, i);
const bytesPerContact = (used() - before) / CONTACTS;
// Every customer is still remembered (the oldest is, and the window holds them all).
const back = router.route({ customerId: customerIds[0] as string, at: CONTACTS });
if (back.reason !== 'recent-contact') throw new Error(`the first customer is forgotten: ${back.reason}`);
if (shop.agents().length !== AGENTS) throw new Error('the shop lost agents');
// A pool of 10 agents (made by a consultation about its product, then idle): 1,000 of them.
const scoped = new Router({ groups: Array.from({ length: 1_000 }, (_, g) => ({ id: `g${g}`, products: [`p${g}`] })), contactMemory: { maxEntries: 0 } });
for (let a = 0; a < 10_000; a++) scoped.upsertAgent({ id: agentIds[a] as string, status: 'online', groups: [`g${a % 1_000}`] }, 0);
before = used();
for (let g = 0; g < 1_000; g++) scoped.route({ customerId: customerIds[g] as string, product: `p${g}`, at: 1 }), scoped.end(customerIds[g] as string, 1);
const bytesPerPool = (used() - before) / 1_000;
if (scoped.snapshot().pools.length !== 1_000) throw new Error('the pools were not kept');
process.stdout.write(`${JSON.stringify({ agents: AGENTS, bytesPerAgent, contacts: CONTACTS, bytesPerContact, bytesPerCustomerId, bytesPerPool })}\n`);
