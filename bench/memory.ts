import { Router } from '../src/index.js';

/**
 * Bytes per agent and per remembered contact: heap used (plus typed arrays' backing stores) after
 * a full GC, before and after building the thing measured, divided by its count. Needs
 * `node --expose-gc`; run.ts starts it in a child process and reads the JSON line it prints.
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
process.stdout.write(`${JSON.stringify({ agents: AGENTS, bytesPerAgent, contacts: CONTACTS, bytesPerContact, bytesPerCustomerId })}\n`);
