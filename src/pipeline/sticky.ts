import type { AgentStatus, RecentContact } from '../types.js';

/** What rule 2 needs to know of an agent. */
export interface StickyAgent {
  readonly status: AgentStatus;
  readonly active: number;
  readonly cap: number;
}

/**
 * Rule 2 (最近联系人): among the customer's contacts within the window — the router's own memory
 * and those the caller passed — the most recent one whose agent can take it now: online, or
 * suspended when `toSuspended`; under cap; not excluded. Busy does not matter. On equal times the
 * remembered contact comes first, then the caller's in their order. Unknown agents are skipped.
 * (No closures: this runs on every route and allocates nothing.)
 */
export function chooseRecentContact<A extends StickyAgent>(
  remembered: RecentContact | undefined,
  given: readonly RecentContact[] | undefined,
  at: number,
  windowMs: number,
  agents: ReadonlyMap<string, A>,
  excluded: ReadonlySet<string> | undefined,
  toSuspended: boolean,
): A | undefined {
  let best: A | undefined;
  let bestAt = Number.NEGATIVE_INFINITY;
  const count = given === undefined ? 0 : given.length;
  for (let i = -1; i < count; i++) {
    const c = i < 0 ? remembered : (given as readonly RecentContact[])[i];
    if (c === undefined || at - c.at > windowMs || (best !== undefined && c.at <= bestAt)) continue;
    const agent = agents.get(c.agentId);
    if (agent === undefined || agent.active >= agent.cap || excluded?.has(c.agentId)) continue;
    if (agent.status === 'online' || (agent.status === 'suspended' && toSuspended)) {
      best = agent;
      bestAt = c.at;
    }
  }
  return best;
}
