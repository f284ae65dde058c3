import type { ConsultationOutcome, SimulationResult } from '../../src/simulate/index.js';

/** A steady-state estimate from batch means: the mean of `batches` batch averages and its standard error. */
export interface Estimate {
  mean: number;
  se: number;
}

/**
 * Batch means (Law & Kelton): consultations arriving in [warmUpMs, endMs) are cut by arrival time
 * into `batches` equal stretches; batches long against the queue's relaxation time are nearly
 * independent, so the spread of their averages gives the standard error of the run's estimate —
 * a tolerance that shrinks as the run grows.
 */
export function batchMeans(
  result: SimulationResult,
  warmUpMs: number,
  endMs: number,
  batches: number,
  value: (c: ConsultationOutcome) => number,
): Estimate {
  const sums = new Array<number>(batches).fill(0);
  const counts = new Array<number>(batches).fill(0);
  const width = (endMs - warmUpMs) / batches;
  for (const c of result.consultations) {
    if (c.arrivedAt < warmUpMs || c.arrivedAt >= endMs) continue;
    const b = Math.min(batches - 1, Math.floor((c.arrivedAt - warmUpMs) / width));
    sums[b] = (sums[b] as number) + value(c);
    counts[b] = (counts[b] as number) + 1;
  }
  const means = sums.map((s, i) => s / (counts[i] as number));
  const mean = means.reduce((a, b) => a + b, 0) / batches;
  const variance = means.reduce((a, m) => a + (m - mean) ** 2, 0) / (batches - 1);
  return { mean, se: Math.sqrt(variance / batches) };
}

/** The routing wait: from arrival to the first human assignment (abandoned: until giving up). */
export function waitOf(c: ConsultationOutcome): number {
  if (c.firstAssignedAt !== null) return c.firstAssignedAt - c.arrivedAt;
  if (c.endedAt !== null) return c.endedAt - c.arrivedAt;
  throw new Error(`consultation ${c.customerId} is still waiting: end the measured window earlier`);
}
