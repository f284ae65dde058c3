/**
 * Capacity in cost units (`Consultation.cost`, `AgentSpec.cap`): an agent can take a consultation
 * while its load plus the consultation's cost is at most its cap.
 */

/** Tolerance for sums of fractional costs (0.1 + 0.2 is not 0.3 in floating point). */
export const EPSILON = 1e-9;

/** What capacity reads of an agent. */
export interface Capacity {
  /** The cost units taken now: consultations that count (not on hold) and wrap-ups. */
  readonly load: number;
  readonly cap: number;
}

/** Whether a consultation of `cost` fits: `load + cost ≤ cap`. */
export function fits(a: Capacity, cost: number): boolean {
  return a.load + cost <= a.cap + EPSILON;
}

/** Whether any consultation may fit: some capacity is left. */
export function hasRoom(a: Capacity): boolean {
  return a.load < a.cap - EPSILON;
}

/** A load after a cost was added or taken away, snapped to the nearest integer when within {@link EPSILON} of it. */
export function settle(load: number): number {
  const whole = Math.round(load);
  return Math.abs(load - whole) < EPSILON ? whole : load;
}
