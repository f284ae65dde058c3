import { bench, describe } from 'vitest';
import { PICKERS, pickWeights } from './pickers.js';
import type { PickerName } from './pickers.js';

// Weighted pick alone, fenliu (route + end) against the npm peers, same weights, same N.
// One bench call is BATCH picks.
const BATCH = 100;

for (const agents of [10, 100, 1_000, 10_000]) {
  describe(`weighted pick, ${agents} agents (${BATCH} picks per op)`, () => {
    const weights = pickWeights(agents);
    for (const name of Object.keys(PICKERS) as PickerName[]) {
      const picker = PICKERS[name](weights);
      bench(name, () => {
        picker.pick(BATCH);
      }, { time: 500, warmupTime: 100 });
    }
  });
}
