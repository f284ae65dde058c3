import { describe, expect, it } from 'vitest';
import { ContactMemory } from '../../src/structures/contact-memory.js';

/** The remembered customers, oldest first, as `customer:agent@at`. */
function contents(memory: ContactMemory): string[] {
  return [...memory.entries()].map(([customerId, e]) => `${customerId}:${e.agentId}@${e.at}`);
}

describe('ContactMemory', () => {
  it('remembers the last agent of each customer, within the window inclusive', () => {
    const memory = new ContactMemory(10, 100);
    memory.remember('c1', 'a', 0);
    memory.remember('c1', 'b', 10);
    expect(memory.size).toBe(1);
    expect(memory.get('c1', 110)).toMatchObject({ agentId: 'b', at: 10 });
    expect(memory.get('c1', 111)).toBeUndefined();
    expect(memory.get('nobody', 10)).toBeUndefined();
  });

  it('get does not forget: an entry past the window is still there until it expires', () => {
    const memory = new ContactMemory(10, 100);
    memory.remember('c1', 'a', 0);
    expect(memory.get('c1', 500)).toBeUndefined();
    expect(memory.lookup('c1')).toEqual(expect.objectContaining({ agentId: 'a', at: 0 }));
    memory.expire(500);
    expect(memory.lookup('c1')).toBeUndefined();
    expect(memory.size).toBe(0);
  });

  it('beyond maxEntries forgets the oldest contacts first', () => {
    const memory = new ContactMemory(3, 1_000);
    for (let i = 1; i <= 5; i++) memory.remember(`c${i}`, 'a', i);
    expect(memory.size).toBe(3);
    expect(contents(memory)).toEqual(['c3:a@3', 'c4:a@4', 'c5:a@5']);
    expect(memory.get('c1', 5)).toBeUndefined();
  });

  it('re-remembering a customer makes it the newest, so it outlives customers seen since its first contact', () => {
    const memory = new ContactMemory(2, 1_000);
    memory.remember('c1', 'a', 1);
    memory.remember('c2', 'b', 2);
    memory.remember('c1', 'b', 3);
    memory.remember('c3', 'a', 4);
    expect(contents(memory)).toEqual(['c1:b@3', 'c3:a@4']);
  });

  it('re-remembering the newest customer updates it in place', () => {
    const memory = new ContactMemory(5, 1_000);
    memory.remember('c1', 'a', 1);
    memory.remember('c2', 'a', 2);
    memory.remember('c2', 'b', 3);
    expect(contents(memory)).toEqual(['c1:a@1', 'c2:b@3']);
    expect(memory.size).toBe(2);
  });

  it('remembering also forgets contacts that have left the window', () => {
    const memory = new ContactMemory(10, 100);
    memory.remember('c1', 'a', 0);
    memory.remember('c2', 'a', 50);
    memory.remember('c3', 'a', 120);
    expect(contents(memory)).toEqual(['c2:a@50', 'c3:a@120']);
  });

  it('after expiring every entry, it starts afresh', () => {
    const memory = new ContactMemory(10, 100);
    memory.remember('c1', 'a', 0);
    memory.remember('c2', 'a', 10);
    memory.expire(1_000);
    expect(memory.size).toBe(0);
    expect(contents(memory)).toEqual([]);
    memory.remember('c3', 'b', 1_000);
    memory.remember('c1', 'a', 1_001);
    expect(contents(memory)).toEqual(['c3:b@1000', 'c1:a@1001']);
  });

  it('with maxEntries 1 keeps only the latest customer', () => {
    const memory = new ContactMemory(1, 1_000);
    memory.remember('c1', 'a', 1);
    memory.remember('c2', 'b', 2);
    expect(contents(memory)).toEqual(['c2:b@2']);
    memory.remember('c2', 'a', 3);
    expect(contents(memory)).toEqual(['c2:a@3']);
  });

  it('with maxEntries 0, or a window of 0, remembers nothing', () => {
    for (const memory of [new ContactMemory(0, 1_000), new ContactMemory(10, 0)]) {
      memory.remember('c1', 'a', 1);
      expect(memory.size).toBe(0);
      expect(memory.get('c1', 1)).toBeUndefined();
    }
  });

  it('takes the handle lookup returned, for a known and for a new customer alike', () => {
    const memory = new ContactMemory(10, 1_000);
    memory.remember('c1', 'a', 1, memory.lookup('c1'));
    memory.remember('c2', 'a', 2, memory.lookup('c2'));
    memory.remember('c1', 'b', 3, memory.lookup('c1'));
    expect(contents(memory)).toEqual(['c2:a@2', 'c1:b@3']);
  });
});
