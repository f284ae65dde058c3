import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/simulate/_internals/event-queue.js';

interface Item { at: number; seq: number; id: number }

describe('the event calendar', () => {
  it('pops events of equal time in the order they were pushed', () => {
    const queue = new EventQueue<Item>();
    for (let id = 0; id < 50; id++) queue.push({ at: id % 2 === 0 ? 5 : 3, seq: -1, id });
    const popped: number[] = [];
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) popped.push(item.id);
    const odd = Array.from({ length: 25 }, (_, k) => 2 * k + 1);
    const even = Array.from({ length: 25 }, (_, k) => 2 * k);
    expect(popped).toEqual([...odd, ...even]);
  });

  it('interleaved pushes and pops give the events in (time, push order), as a stable sort would', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300 }), (script) => {
      const queue = new EventQueue<Item>();
      // The model: pending items in push order; a pop takes the earliest time, first pushed.
      const model: Item[] = [];
      let id = 0;
      for (const step of script) {
        if (step === -1) {
          let best = -1;
          for (let i = 0; i < model.length; i++) if (best === -1 || model[i]!.at < model[best]!.at) best = i;
          const expected = best === -1 ? undefined : model.splice(best, 1)[0];
          expect(queue.peek()?.id).toBe(expected?.id);
          expect(queue.pop()?.id).toBe(expected?.id);
        } else {
          const item = { at: step, seq: -1, id: id++ };
          queue.push(item);
          model.push(item);
        }
        expect(queue.size).toBe(model.length);
      }
    }));
  });

  it('stamps each push with a rising sequence number', () => {
    const queue = new EventQueue<Item>();
    const items = [{ at: 9, seq: 0, id: 0 }, { at: 1, seq: 0, id: 1 }, { at: 9, seq: 0, id: 2 }];
    for (const item of items) queue.push(item);
    expect(items.map((i) => i.seq)).toEqual([0, 1, 2]);
    expect(new EventQueue<Item>().pop()).toBeUndefined();
  });
});
