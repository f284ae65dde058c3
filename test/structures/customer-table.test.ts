import { describe, expect, it } from 'vitest';
import { CustomerTable, type CustomerEntry } from '../../src/structures/customer-table.js';
import type { Time } from '../../src/validate.js';

/** A stand-in for the router's consultation record. */
interface Consultation {
  readonly customerId: string;
}
type Entry = CustomerEntry<Consultation, string>;

/** Each table's time, which the table reads (as it reads the router's). */
const times = new WeakMap<CustomerTable<Consultation, string>, Time>();

function table(maxEntries: number, windowMs: number): CustomerTable<Consultation, string> {
  const time: Time = { now: 0 };
  const t = new CustomerTable<Consultation, string>(maxEntries, windowMs, time);
  times.set(t, time);
  return t;
}

/** Sets the table's time to `now` and returns the table. */
function at(t: CustomerTable<Consultation, string>, now: number): CustomerTable<Consultation, string> {
  (times.get(t) as Time).now = now;
  return t;
}

/** The remembered customers, oldest first, as `customer:agent@at`. */
function contents(t: CustomerTable<Consultation, string>): string[] {
  return [...t.contacts()].map((e) => `${e.id}:${e.contact}@${e.contactAt}`);
}

/** A consultation that is served by `agentId` at `at` and then ends, as the router does it. */
function serve(t: CustomerTable<Consultation, string>, customerId: string, agentId: string, time: number): Entry {
  const e = t.open(customerId, t.get(customerId), { customerId });
  at(t, time).remember(e, agentId);
  t.close(e);
  return e;
}

describe('CustomerTable', () => {
  it('remembers the last agent of each customer', () => {
    const t = table(10, 100);
    serve(t, 'c1', 'a', 0);
    serve(t, 'c1', 'b', 10);
    expect(t.remembered).toBe(1);
    expect(t.get('c1')).toMatchObject({ contact: 'b', contactAt: 10, open: undefined });
    expect(t.get('nobody')).toBeUndefined();
  });

  it('a contact past the window stays until something expires it', () => {
    const t = table(10, 100);
    serve(t, 'c1', 'a', 0);
    expect(t.get('c1')?.contact).toBe('a');
    at(t, 100).expire();
    expect(t.get('c1')?.contact).toBe('a'); // the window is inclusive
    at(t, 101).expire();
    expect(t.get('c1')).toBeUndefined();
    expect(t.remembered).toBe(0);
  });

  it('beyond maxEntries forgets the oldest contacts first', () => {
    const t = table(3, 1_000);
    for (let i = 1; i <= 5; i++) serve(t, `c${i}`, 'a', i);
    expect(t.remembered).toBe(3);
    expect(contents(t)).toEqual(['c3:a@3', 'c4:a@4', 'c5:a@5']);
    expect(t.get('c1')).toBeUndefined();
  });

  it('re-remembering a customer makes it the newest, so it outlives customers seen since its first contact', () => {
    const t = table(2, 1_000);
    serve(t, 'c1', 'a', 1);
    serve(t, 'c2', 'b', 2);
    serve(t, 'c1', 'b', 3);
    serve(t, 'c3', 'a', 4);
    expect(contents(t)).toEqual(['c1:b@3', 'c3:a@4']);
  });

  it('re-remembering the newest customer updates it in place', () => {
    const t = table(5, 1_000);
    serve(t, 'c1', 'a', 1);
    serve(t, 'c2', 'a', 2);
    serve(t, 'c2', 'b', 3);
    expect(contents(t)).toEqual(['c1:a@1', 'c2:b@3']);
    expect(t.remembered).toBe(2);
  });

  it('remembering also forgets contacts that have left the window', () => {
    const t = table(10, 100);
    serve(t, 'c1', 'a', 0);
    serve(t, 'c2', 'a', 50);
    serve(t, 'c3', 'a', 120);
    expect(contents(t)).toEqual(['c2:a@50', 'c3:a@120']);
  });

  it('after expiring every entry, it starts afresh', () => {
    const t = table(10, 100);
    serve(t, 'c1', 'a', 0);
    serve(t, 'c2', 'a', 10);
    at(t, 1_000).expire();
    expect(t.remembered).toBe(0);
    expect(contents(t)).toEqual([]);
    serve(t, 'c3', 'b', 1_000);
    serve(t, 'c1', 'a', 1_001);
    expect(contents(t)).toEqual(['c3:b@1000', 'c1:a@1001']);
  });

  it('with maxEntries 1 keeps only the latest customer', () => {
    const t = table(1, 1_000);
    serve(t, 'c1', 'a', 1);
    serve(t, 'c2', 'b', 2);
    expect(contents(t)).toEqual(['c2:b@2']);
    serve(t, 'c2', 'a', 3);
    expect(contents(t)).toEqual(['c2:a@3']);
  });

  it('with maxEntries 0, or a window of 0, remembers nothing and keeps only open customers', () => {
    for (const t of [table(0, 1_000), table(10, 0)]) {
      const open = t.open('c1', undefined, { customerId: 'c1' });
      at(t, 1).remember(open, 'a');
      expect(t.remembered).toBe(0);
      expect(t.get('c1')).toBe(open);
      t.close(open);
      expect(t.get('c1')).toBeUndefined();
    }
  });

  it('keeps an open customer whose contact was forgotten, and drops it when it closes', () => {
    const t = table(1, 1_000);
    const first = t.open('c1', undefined, { customerId: 'c1' });
    at(t, 1).remember(first, 'a');
    serve(t, 'c2', 'b', 2); // evicts c1's contact: c1 is still open
    expect(t.get('c1')).toBe(first);
    expect(first.contact).toBeUndefined();
    expect([...t.openConsultations()]).toEqual([{ customerId: 'c1' }]);
    t.close(first);
    expect(t.get('c1')).toBeUndefined();
    expect([...t.openConsultations()]).toEqual([]);
  });

  it('an open customer keeps its contact when it closes within the window', () => {
    const t = table(10, 1_000);
    const e = t.open('c1', undefined, { customerId: 'c1' });
    at(t, 1).remember(e, 'a');
    t.close(e);
    expect(t.get('c1')).toBe(e);
    expect(t.open('c1', t.get('c1'), { customerId: 'c1' })).toBe(e); // a returning customer reuses its entry
  });

  it('reuses the entry of a customer it forgot for the next new customer, reset', () => {
    const t = table(10, 100);
    const old = serve(t, 'c1', 'a', 0);
    serve(t, 'c2', 'b', 500); // c1 expires and leaves the table
    expect(t.get('c1')).toBeUndefined();
    const fresh = t.open('c3', undefined, { customerId: 'c3' });
    expect(fresh).toBe(old);
    expect(fresh).toMatchObject({ id: 'c3', contact: undefined, open: { customerId: 'c3' }, newer: undefined, older: undefined });
    expect(t.get('c3')).toBe(fresh);
    expect(contents(t)).toEqual(['c2:b@500']);
  });

  it('restore rebuilds contacts for open and closed customers alike', () => {
    const t = table(2, 1_000);
    const open = t.open('c1', undefined, { customerId: 'c1' });
    at(t, 1).restore('c1', 'a');
    at(t, 2).restore('c2', 'b');
    expect(contents(t)).toEqual(['c1:a@1', 'c2:b@2']);
    expect(t.get('c1')).toBe(open);
    expect(t.get('c2')?.open).toBeUndefined();
    at(t, 3).restore('c3', 'a'); // beyond maxEntries: c1 is forgotten but stays open
    expect(contents(t)).toEqual(['c2:b@2', 'c3:a@3']);
    expect(t.get('c1')).toBe(open);
  });

  it('restoring into a table that remembers nothing leaves nothing behind', () => {
    const t = table(0, 1_000);
    at(t, 1).restore('c1', 'a');
    expect(t.get('c1')).toBeUndefined();
  });
});
