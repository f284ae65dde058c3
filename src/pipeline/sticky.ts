import type { AgentStatus, RecentContact } from '../types.js';

/** What rule 2 needs to know of an agent. */
export interface StickyAgent {
  readonly status: AgentStatus;
  readonly active: number;
  readonly cap: number;
}

/**
 * Rule 2 (最近联系人): among the customer's contacts within the window — the router's own memory
 * (`rememberedAgentId` at `rememberedAt`, when it remembers one) and those the caller passed —
 * the most recent one whose agent can take it now: online, or suspended when `toSuspended`; under
 * cap; not excluded. Busy does not matter. On equal times the
 * remembered contact comes first, then the caller's in their order. Unknown agents are skipped.
 * (No closures: this runs on every route and allocates nothing.)
 */
export function chooseRecentContact<A extends StickyAgent>(
  rememberedAgentId: string | undefined,
  rememberedAt: number,
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
    let agentId = rememberedAgentId;
    let contactAt = rememberedAt;
    if (i >= 0) {
      const c = (given as readonly RecentContact[])[i] as RecentContact;
      agentId = c.agentId;
      contactAt = c.at;
    }
    if (agentId === undefined || at - contactAt > windowMs || (best !== undefined && contactAt <= bestAt)) continue;
    const agent = agents.get(agentId);
    if (agent === undefined || agent.active >= agent.cap || excluded?.has(agentId)) continue;
    if (agent.status === 'online' || (agent.status === 'suspended' && toSuspended)) {
      best = agent;
      bestAt = contactAt;
    }
  }
  return best;
}
