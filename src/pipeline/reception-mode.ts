import type { ReceptionMode } from '../types.js';

/** The reception mode that applies to one candidate pool, with its deterministic mixed-mode counter. */
export interface ModeContext {
  /** `'*'` for the shop's own mode, else the id of the group whose mode applies. */
  readonly key: string;
  readonly mode: ReceptionMode;
  readonly robotRatio: number;
  /** Consultations that reached rule 4 under this mode. */
  routed: number;
  /** How many of them went to the robot because of `mixed`. */
  robots: number;
}

/**
 * Rule 4 for a consultation that reached it, without changing the counters (the router commits
 * them): `robot-first` always goes to the robot; `mixed` sends the (n+1)-th consultation to the
 * robot when ⌊(n+1)·ratio⌋ exceeds the robot's count so far, which keeps the robot's count within 1
 * of n·ratio on every prefix — exact over time, not a coin flip. The 1e-9 absorbs the rounding of
 * (n+1)·ratio for ratios that binary floating point cannot hold (0.29 · 100 = 28.999999999999996).
 */
export function modeDecision(ctx: ModeContext): 'robot-first' | 'mixed' | undefined {
  if (ctx.mode === 'robot-first') return 'robot-first';
  if (ctx.mode === 'mixed' && Math.floor((ctx.routed + 1) * ctx.robotRatio + 1e-9) > ctx.robots) return 'mixed';
  return undefined;
}
