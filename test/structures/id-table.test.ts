import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashId, IdTable, MAX_CAPACITY, MAX_PROBE, type IdEntry } from '../../src/structures/id-table.js';

type Entry = IdEntry;

const entry = (id: string): Entry => ({ id, idHash: 0 });
const ids = (t: IdTable<Entry>): string[] => [...t.values()].map((e) => e.id).sort();

// Hash functions from good to hostile: the table must behave like a Map under every one of them.
const HASHES: Record<string, (id: string) => number> = {
  hashId,
  'three values': (id) => (id.length % 3) + 1,
  constant: () => 7,
  'same home, distinct hashes': (id) => ((hashId(id) << 10) & 0x3fffffff) | 1,
};

const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), id: fc.nat(299) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.nat(299) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), id: fc.nat(299) }) },
);

describe('IdTable', () => {
  for (const [name, hash] of Object.entries(HASHES)) {
    it(`finds exactly what a Map would through any adds and deletes (hash: ${name})`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 800, size: 'max' }), (ops) => {
          const table = new IdTable<Entry>(hash);
          const reference = new Map<string, Entry>();
          for (const o of ops) {
            const id = `buyer-${o.id}`;
            const had = reference.get(id);
            if (o.kind === 'add' && had === undefined) {
              const e = entry(id);
              table.add(e);
              reference.set(id, e);
            } else if (o.kind === 'delete' && had !== undefined) {
              table.delete(had);
              reference.delete(id);
            }
            // Plain comparisons, not expect(): this line runs up to 240,000 times per hash; fast-check reports the failing ops.
            if (table.get(id) !== reference.get(id) || table.size !== reference.size) return false;
          }
          for (let i = 0; i < 300; i++) if (table.get(`buyer-${i}`) !== reference.get(`buyer-${i}`)) return false;
          expect(ids(table)).toEqual([...reference.keys()].sort());
          return true;
        }),
        { numRuns: 300 },
      );
    });
  }

  it('reads at most MAX_PROBE slots per id when every id collides: the rest go to the overflow map', () => {
    const table = new IdTable<Entry>(() => 7);
    const entries = Array.from({ length: 5_000 }, (_, i) => entry(`flood-${i}`));
    for (const e of entries) table.add(e);
    expect(table.overflowed).toBe(5_000 - MAX_PROBE);
    expect(table.capacity).toBeLessThanOrEqual(4 * MAX_PROBE); // sized by the slots in use, not the flood
    for (const e of entries) expect(table.get(e.id)).toBe(e);
    for (const e of entries.slice(0, 2_500)) table.delete(e);
    for (const [i, e] of entries.entries()) expect(table.get(e.id)).toBe(i < 2_500 ? undefined : e);
    for (const e of entries.slice(2_500)) table.delete(e);
    expect(table.size).toBe(0);
  });

  it('keeps its capacity through a steady churn of adds and deletes (no reallocation) and shrinks once emptied', () => {
    const table = new IdTable<Entry>();
    const live: Entry[] = [];
    for (let i = 0; i < 50_000; i++) {
      const e = entry(`buyer-a${i}`);
      table.add(e);
      live.push(e);
    }
    const capacity = table.capacity;
    expect(capacity).toBe(131_072);
    // First in, first out, as the contact memory forgets: 200,000 more customers pass through.
    let oldest = 0;
    for (let i = 0; i < 200_000; i++) {
      table.delete(live[oldest++] as Entry);
      const e = entry(`buyer-b${i}`);
      table.add(e);
      live.push(e);
      expect(table.capacity).toBe(capacity);
    }
    expect(table.overflowed).toBe(0);
    expect(table.size).toBe(50_000);
    for (const e of live.slice(oldest)) expect(table.get(e.id)).toBe(e);
    for (const e of live.slice(0, oldest).filter((_, i) => i % 997 === 0)) expect(table.get(e.id)).toBeUndefined();
    while (oldest < live.length) table.delete(live[oldest++] as Entry);
    expect(table.size).toBe(0);
    expect(table.capacity).toBe(16);
  });

  it('stops growing at its largest capacity and keeps every further id in the overflow map', () => {
    // MAX_CAPACITY slots are twice as many array elements: the largest array V8 allows is under 2^27.
    expect(2 * MAX_CAPACITY).toBeLessThan(2 ** 27);
    const table = new IdTable<Entry>(hashId, 64);
    const entries = Array.from({ length: 1_000 }, (_, i) => entry(`buyer-${i}`));
    for (const e of entries) table.add(e);
    expect(table.capacity).toBe(64);
    expect(table.overflowed).toBe(1_000 - 32);
    expect(table.size).toBe(1_000);
    for (const e of entries) expect(table.get(e.id)).toBe(e);
    for (const e of entries.filter((_, i) => i % 2 === 0)) table.delete(e);
    for (const [i, e] of entries.entries()) expect(table.get(e.id)).toBe(i % 2 === 0 ? undefined : e);
    expect(table.size).toBe(500);
  });

  it('hashId: never 0, a small non-negative integer, and spread enough that sequential ids stay near home', () => {
    for (const id of ['', 'a', 'buyer-1', '__proto__', '买家-一', 'x'.repeat(1_000)]) {
      const h = hashId(id);
      expect(Number.isInteger(h) && h > 0 && h < 2 ** 30).toBe(true);
    }
    expect(hashId('buyer-1')).not.toBe(hashId('buyer-2'));
    expect(hashId('ab')).not.toBe(hashId('ba'));
    // 60,000 sequential ids in a table of 131,072 slots: none overflows.
    const table = new IdTable<Entry>();
    for (let i = 0; i < 60_000; i++) table.add(entry(`tb${i}`));
    expect(table.overflowed).toBe(0);
  });
});
