import { describe, expect, it } from 'vitest';
import { WaitingQueue, type Waiting } from '../../src/pipeline/queue.js';

const w = (customerId: string, priority: number, since: number, order: number): Waiting => ({ customerId, priority, since, order });
const ids = (q: WaitingQueue<Waiting>): string[] => q.items().map((x) => x.customerId);

describe('WaitingQueue (rule 8 service order)', () => {
  it('serves higher priority first, then the longest waiting, then the first routed', () => {
    const q = new WaitingQueue<Waiting>();
    q.insert(w('late-normal', 0, 30, 3));
    q.insert(w('early-normal', 0, 10, 1));
    q.insert(w('vip', 5, 40, 4));
    q.insert(w('tie-second', 0, 20, 6));
    q.insert(w('tie-first', 0, 20, 5));
    expect(ids(q)).toEqual(['vip', 'early-normal', 'tie-first', 'tie-second', 'late-normal']);
    expect(q.size).toBe(5);
  });

  it('returns the 1-based position of each insertion', () => {
    const q = new WaitingQueue<Waiting>();
    expect(q.insert(w('a', 0, 10, 1))).toBe(1);
    expect(q.insert(w('b', 0, 20, 2))).toBe(2);
    expect(q.insert(w('vip', 1, 30, 3))).toBe(1);
    expect(q.insert(w('c', 0, 15, 4))).toBe(3);
  });

  it('removes by item and by index; removing an item not queued changes nothing', () => {
    const q = new WaitingQueue<Waiting>();
    const a = w('a', 0, 1, 1);
    const b = w('b', 0, 2, 2);
    const c = w('c', 0, 3, 3);
    for (const x of [a, b, c]) q.insert(x);
    q.remove(b);
    expect(ids(q)).toEqual(['a', 'c']);
    q.remove(w('a', 0, 1, 1)); // equal fields, another object: not this queue's entry
    q.remove(b);
    expect(ids(q)).toEqual(['a', 'c']);
    q.removeAt(0);
    expect(ids(q)).toEqual(['c']);
    expect(q.size).toBe(1);
  });
});
