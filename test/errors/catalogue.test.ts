import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Router, RoutingError } from '../../src/index.js';
import type { RouterOptions } from '../../src/options.js';
import { badCalls, badClock, badOptions, populated, prototypeIds, type BadInput } from './catalogue.js';
import { catalogueMessages, renderDoc } from './render-docs.js';

/** Runs a call that must throw; returns the RoutingError. */
function thrown(call: () => unknown): RoutingError {
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the call should throw').toBeInstanceOf(RoutingError);
  return caught as RoutingError;
}

/** Messages name the field (in backticks, or as `options.clock()`), the expected value and what came in. */
function checkMessage(error: RoutingError, entry: { code: string; field: string; expected: string; got: string }): void {
  expect(error.code).toBe(entry.code);
  expect(error.field).toBe(entry.field);
  expect(error.name).toBe('RoutingError');
  expect(error.message).toContain(entry.expected);
  expect(error.message).toContain(entry.got);
  // The field in backticks: itself, or the array it indexes (`options.orderStates` for `options.orderStates[1]`).
  const base = entry.field.replace(/\[.*$/, '');
  const bare = entry.field.replace(/^options\./, "");
  expect(error.message.includes(`\`${entry.field}`) || error.message.includes(`\`${base}\``) || error.message.includes(`\`${bare}\``), `the message names ${entry.field}: ${error.message}`).toBe(true);
}

/** Distinct bad inputs: the two tables, the clock, the prototype-key ids, the mutated views and inputs below. */
const MUTATIONS = 9;
const PROTOTYPE_CASES = prototypeIds.length;

describe('bad input catalogue', () => {
  test(`counts ${badCalls.length + badOptions.length + 1 + MUTATIONS + PROTOTYPE_CASES} distinct bad inputs`, () => {
    const inputs = [...badCalls, ...badOptions, badClock].map((b) => b.input);
    expect(new Set(inputs).size).toBe(inputs.length);
    console.log(`bad-input catalogue: ${badCalls.length} bad call arguments, ${badOptions.length} bad options, 1 bad clock, ${MUTATIONS} mutated views/inputs, ${PROTOTYPE_CASES} prototype-key ids = ${inputs.length + MUTATIONS + PROTOTYPE_CASES}`);
  });

  test.each(badCalls.map((b) => [b.input, b] as const))('%s → rejected, state unchanged', (_, entry: BadInput) => {
    const router = populated();
    const before = JSON.stringify(router.snapshot());
    const error = thrown(() => entry.call(router));
    checkMessage(error, entry);
    expect(JSON.stringify(router.snapshot())).toBe(before);
  });

  test.each(badOptions.map((b) => [b.input, b] as const))('options: %s → rejected', (_, entry) => {
    const error = thrown(() => new Router(entry.options as RouterOptions));
    checkMessage(error, entry);
  });

  test(`${badClock.input} → rejected at the call that reads it, state unchanged`, () => {
    let now: number = 1000;
    const router = new Router({ clock: () => now });
    router.upsertAgent({ id: 'a', status: 'online' });
    now = Number.NaN;
    const before = JSON.stringify(router.snapshot());
    checkMessage(thrown(() => router.route({ customerId: 'c1' })), badClock);
    checkMessage(thrown(badClock.call as () => unknown), badClock);
    expect(JSON.stringify(router.snapshot())).toBe(before);
  });

  test('a clock that steps back is not an error: the latest time is used', () => {
    let now = 1000;
    const router = new Router({ clock: () => now });
    router.upsertAgent({ id: 'a', status: 'online' });
    now = 10;
    const d = router.route({ customerId: 'c1' });
    expect(d.at).toBe(1000);
  });
});

describe('a router without a clock', () => {
  // Every call that takes a time, without one: each throws and the shop stays as it was.
  const untimed: [string, (r: Router) => unknown][] = [
    ['upsertAgent', (r) => r.upsertAgent({ id: 'b', status: 'online' })],
    ['setStatus', (r) => r.setStatus('a', 'offline')],
    ['removeAgent', (r) => r.removeAgent('a')],
    ['route', (r) => r.route({ customerId: 'n1' })],
    ['escalate', (r) => r.escalate('bot')],
    ['reroute', (r) => r.reroute('c1', { reason: 'declined' })],
    ['end', (r) => r.end('c1')],
    ['hold', (r) => r.hold('c1')],
    ['resume', (r) => r.resume('held')],
    ['customerMessage', (r) => r.customerMessage('c1')],
    ['agentReply', (r) => r.agentReply('c1')],
    ['advance', (r) => r.advance()],
  ];
  const shop = (): Router => {
    const r = new Router({ robot: true, receptionMode: 'robot-first' });
    r.upsertAgent({ id: 'a', status: 'online' }, 1000);
    r.route({ customerId: 'c1', at: 1000 }); // robot first: to the robot, then escalated to a
    r.escalate('c1', 1000);
    r.route({ customerId: 'held', at: 1000 });
    r.escalate('held', 1000);
    r.hold('held', 1000);
    r.route({ customerId: 'bot', at: 1000 }); // stays with the robot
    return r;
  };

  test.each(untimed)('%s without `at` throws INVALID_ARGUMENT and changes nothing', (_, call) => {
    const router = shop();
    const before = JSON.stringify(router.snapshot());
    const error = thrown(() => call(router));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('no clock');
    expect(JSON.stringify(router.snapshot())).toBe(before);
  });

  test('every call with `at` works as with a clock', () => {
    const router = shop();
    expect(router.route({ customerId: 'n1', at: 2000 })).toMatchObject({ at: 2000, kind: 'robot' });
    expect(router.advance(3000)).toEqual([]);
  });
});

describe('ids that are Object.prototype keys work like any other', () => {
  test.each(prototypeIds.map((id) => [id]))('%s as agent, customer and group id', (id) => {
    const router = new Router({ groups: [{ id, orderStates: ['unpaid'] }], clock: () => 1000 });
    expect(router.getAgent(id)).toBeUndefined();
    expect(() => router.setStatus(id, 'online')).toThrow(expect.objectContaining({ code: 'UNKNOWN_AGENT' }));
    expect(() => router.end(id)).toThrow(expect.objectContaining({ code: 'UNKNOWN_CUSTOMER' }));
    router.upsertAgent({ id, status: 'online', groups: [id] });
    router.upsertAgent({ id: 'other', status: 'online' });
    expect(router.route({ customerId: id, orderState: 'unpaid' })).toEqual({ kind: 'agent', customerId: id, at: 1000, agentId: id, groupId: id, reason: 'split' });
    expect(() => router.route({ customerId: id })).toThrow(expect.objectContaining({ code: 'DUPLICATE_CUSTOMER' }));
    expect(router.getAgent(id)).toMatchObject({ id, active: 1, groups: [id] });
    expect(router.agents().map((a) => a.id)).toEqual([id, 'other']);
    const copy = Router.restore(JSON.parse(JSON.stringify(router.snapshot())), { clock: () => 1000 });
    expect(JSON.stringify(copy.snapshot())).toBe(JSON.stringify(router.snapshot()));
    // It comes back to its recent contact, then leaves cleanly.
    expect(router.end(id)).toEqual([]);
    expect(router.route({ customerId: id })).toMatchObject({ agentId: id, reason: 'recent-contact' });
    router.removeAgent(id);
    expect(router.getAgent(id)).toBeUndefined();
    expect(({} as Record<string, unknown>).active).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('an empty slot in an array of the options is refused at the slot', () => {
  test.each<[string, unknown, string]>([
    ['groups', { groups: [{ id: 'g' }, , { id: 'h' }] }, 'options.groups[1]'],
    ['a group\'s products', { groups: [{ id: 'g', products: ['p', , 'q'] }] }, 'options.groups[0].products[1]'],
    ['a group\'s order states', { groups: [{ id: 'g', orderStates: ['unpaid', , 'none'] }] }, 'options.groups[0].orderStates[1]'],
    ['an overflow step\'s groups', { groups: [{ id: 'g', orderStates: ['unpaid'], overflow: [{ afterMs: 1, to: ['h', , 'h'] }] }, { id: 'h' }] }, 'options.groups[0].overflow[0].to[1]'],
    ['a day\'s business hours', { businessHours: { timeZone: 'UTC', weekly: { mon: ['09:00-12:00', , '13:00-18:00'] } } }, 'options.businessHours.weekly.mon[1]'],
  ])('%s', (_, options, field) => {
    expect(() => new Router(options as RouterOptions)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^(INVALID_OPTION|UNKNOWN_ORDER_STATE)$/), field }));
  });
});

describe('views and inputs the caller mutates do not reach the router', () => {
  const mutated = (name: string, mutate: (router: Router) => void): void => {
    test(name, () => {
      const router = populated();
      const before = JSON.stringify(router.snapshot());
      mutate(router);
      expect(JSON.stringify(router.snapshot())).toBe(before);
    });
  };

  mutated('getAgent() view', (router) => {
    const view = router.getAgent('a');
    if (view === undefined) throw new Error('agent a');
    view.groups.push('vip');
    view.active = 99;
    view.cap = 0;
    view.status = 'offline';
    expect(router.getAgent('a')).toMatchObject({ groups: ['pre'], active: 1, cap: 1, status: 'online' });
  });
  mutated('agents() array and its items', (router) => {
    const all = router.agents();
    all.pop();
    all[0]!.pending = 1000;
    all[0]!.groups.length = 0;
    expect(router.agents()).toHaveLength(4);
  });
  mutated('queue() views', (router) => {
    const q = router.queue();
    q[0]!.priority = -5;
    q[0]!.position = 9;
    q.splice(0, 1);
    expect(router.queue()).toEqual([{ customerId: 'c2', position: 1, priority: 2, since: 1000 }]);
  });
  mutated('snapshot() output', (router) => {
    const snap = router.snapshot();
    snap.agents[0]!.open.push('c2');
    snap.agents[0]!.groups.push('x');
    snap.options.groups[0]!.orderStates!.push('none');
    snap.options.orderStates.pop();
    snap.consultations[0]!.excluded.push('a');
    snap.contacts.length = 0;
    snap.seq = 999;
  });
  test('a returned Decision', () => {
    const router = populated();
    const [d] = router.setStatus('off', 'online', 1000); // serves c2 from the queue
    const after = JSON.stringify(router.snapshot());
    if (d === undefined || d.kind !== 'agent') throw new Error('a drain was expected');
    (d as { agentId: string }).agentId = 'a';
    (d as { customerId: string }).customerId = 'c1';
    expect(JSON.stringify(router.snapshot())).toBe(after);
  });

  test('the spec given to upsertAgent, mutated after the call', () => {
    const router = new Router({ groups: [{ id: 'pre' }, { id: 'post' }] });
    const groups = ['pre'];
    router.upsertAgent({ id: 'a', groups }, 0);
    groups.push('post');
    expect(router.getAgent('a')?.groups).toEqual(['pre']);
  });
  test('a spec whose getters answer differently on each read: what is stored is what was checked', () => {
    const router = new Router();
    let reads = 0;
    const spec = { id: 'a', status: 'online' as const, get weight(): number { reads += 1; return reads === 1 ? 2 : Number.NaN; } };
    router.upsertAgent(spec, 0);
    expect(router.getAgent('a')?.weight).toBe(2);
    expect(() => Router.restore(JSON.parse(JSON.stringify(router.snapshot())))).not.toThrow();
  });
  test('the recentContacts given to route, mutated after the call', () => {
    const router = new Router({ clock: () => 10 });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    const recentContacts = [{ agentId: 'a', at: 5 }];
    router.route({ customerId: 'c1', recentContacts });
    const before = JSON.stringify(router.snapshot());
    recentContacts[0]!.agentId = 'b';
    recentContacts.push({ agentId: 'b', at: 9 });
    expect(JSON.stringify(router.snapshot())).toBe(before);
  });
  test('the options given to the constructor, mutated after it', () => {
    const groups = [{ id: 'pre', orderStates: ['unpaid'] }];
    const orderStates = ['none', 'unpaid'];
    const contactMemory = { maxEntries: 10 };
    const businessHours = { timeZone: 'UTC', weekly: { mon: ['09:00-18:00'] } };
    const router = new Router({ groups, orderStates, contactMemory, businessHours });
    const before = JSON.stringify(router.snapshot());
    businessHours.weekly.mon.push('19:00-20:00');
    businessHours.timeZone = 'Asia/Shanghai';
    groups[0]!.orderStates.push('none');
    groups.push({ id: 'post', orderStates: [] });
    orderStates.push('lost');
    contactMemory.maxEntries = 0;
    expect(JSON.stringify(router.snapshot())).toBe(before);
    expect(() => router.route({ customerId: 'c', orderState: 'lost' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_ORDER_STATE' }));
  });
  test('a snapshot given to restore, mutated after it', () => {
    const router = populated();
    const snap = JSON.parse(JSON.stringify(router.snapshot()));
    const copy = Router.restore(snap, { clock: () => 1000 });
    const before = JSON.stringify(copy.snapshot());
    snap.agents[0].open.length = 0;
    snap.consultations[0].excluded.push('a');
    snap.agents[0].groups.push('x');
    expect(JSON.stringify(copy.snapshot())).toBe(before);
  });
});

describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  test('shows the messages the code really throws (regenerate: npx tsx test/errors/render-docs.ts)', () => {
    expect(renderDoc(doc, catalogueMessages())).toBe(doc);
  });
  test.each([...badCalls, ...badOptions, badClock].map((b) => [b.input, b] as const))('has a row for %s', (_, entry) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| ${entry.input} |`));
    expect(row, `docs/errors.md row for ${entry.input}`).toBeDefined();
    expect(row).toContain(`\`${entry.code}\``);
  });

  // Every ```ts block is real code: it runs, with 'fenliu' pointed at the source.
  const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  test.each(blocks.map((code, i) => [i + 1, code]))('```ts block %i runs', (_, code) => {
    expect(code).toContain("from 'fenliu'");
    const src = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'fenliu-doc-'));
    try {
      const file = join(dir, 'block.ts');
      writeFileSync(file, code.replaceAll("from 'fenliu'", `from ${JSON.stringify(src)}`));
      const out = execFileSync(process.execPath, [tsx, file], { encoding: 'utf8' });
      // The comments after console.log calls say what they print.
      const said = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
      expect(out.trim().split('\n')).toEqual(said);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
