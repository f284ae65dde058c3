import type { AgentStatus, RecentContact } from '../types.js';
import { fits } from './capacity.js';

/** What rule 2 needs to know of an agent. */
export interface StickyAgent {
  readonly id: string;
  readonly status: AgentStatus;
  /** The cost units its consultations take now (see `Consultation.cost`). */
  readonly load: number;
  readonly cap: number;
  /**
   * The agent was removed since this record was remembered: its id may belong to a new record now
   * (an agent removed and added again), so the id is looked up instead.
   */
  readonly removed: boolean;
}

/** Rule 2's options (the router's resolved options). */
export interface StickyRule {
  readonly stickyWindowMs: number;
  readonly stickyToSuspended: boolean;
}

/** The router's own memory of a customer: the agent who last served it, if any, and when. */
export interface RememberedContact<A> {
  readonly contact: A | undefined;
  readonly contactAt: number;
}

/**
 * Rule 2 (最近联系人): among the customer's contacts within the window at `time.now` — the
 * router's own memory (`memory.contact` at `memory.contactAt`, when it remembers one) and those the
 * caller passed — the most recent one whose agent can take it now: online, or suspended when
 * `rule.stickyToSuspended`; under cap; not excluded. Busy does not matter. On equal times the
 * remembered contact comes first, then the caller's in their order. Unknown agents are skipped.
 * (No closures, and no time passed as a number, which V8 would box: this runs on every route and
 * allocates nothing.)
 */
export function chooseRecentContact<A extends StickyAgent>(
  memory: RememberedContact<A>,
  given: readonly RecentContact[] | undefined,
  need: { readonly cost: number },
  time: { readonly now: number },
  rule: StickyRule,
  agents: ReadonlyMap<string, A>,
  excluded: ReadonlySet<string> | undefined,
): A | undefined {
  const at = time.now;
  const windowMs = rule.stickyWindowMs;
  const toSuspended = rule.stickyToSuspended;
  let best: A | undefined;
  let bestAt = Number.NEGATIVE_INFINITY;
  const count = given === undefined ? 0 : given.length;
  for (let i = -1; i < count; i++) {
    let agent: A | undefined;
    let contactAt: number;
    if (i < 0) {
      const remembered = memory.contact;
      if (remembered === undefined || at - memory.contactAt > windowMs) continue;
      // The router's own memory holds the agent's record: no lookup unless it was removed since.
      agent = remembered.removed ? agents.get(remembered.id) : remembered;
      contactAt = memory.contactAt;
    } else {
      const c = (given as readonly RecentContact[])[i] as RecentContact;
      contactAt = c.at;
      if (at - contactAt > windowMs || (best !== undefined && contactAt <= bestAt)) continue;
      agent = agents.get(c.agentId);
    }
    if (agent === undefined || !fits(agent, need.cost) || excluded?.has(agent.id)) continue;
    if (agent.status === 'online' || (agent.status === 'suspended' && toSuspended)) {
      best = agent;
      bestAt = contactAt;
    }
  }
  return best;
}
