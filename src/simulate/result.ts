import type { ConversationEvent } from '../metrics/events.js';
import type { MetricsReport } from '../metrics/index.js';
import type { Decision } from '../types.js';

/** What a simulation run returns, and the figures computed from it. */

const MINUTE = 60_000;

/** What became of one consultation (咨询) of the run. */
export interface ConsultationOutcome {
  /** The customer who wrote. */
  customerId: string;
  /** When the customer's first message arrived (ms). */
  arrivedAt: number;
  /** The order state it was routed with. */
  orderState: string;
  /** Its buyer segment (人群), as routed; absent when it had none. */
  segment?: string;
  /** Its product (商品), as routed; absent when it had none. */
  product?: string;
  /** Its intent (意图), as routed; absent when it had none. */
  intent?: string;
  /** Its cost (`Consultation.cost`, units of an agent's cap), as routed; absent when 1. */
  cost?: number;
  /**
   * The groups its reception scope matched (`router.consultation(customerId).groups` right after
   * it was routed), in option order; absent when it matched none (it routed among every agent) and
   * in a scenario without groups.
   */
  groups?: string[];
  /**
   * - `served` — a human agent held it and it ended
   * - `robot` — the robot resolved it
   * - `abandoned` — the customer gave up in the waiting queue
   * - `unanswered` — its agent never answered (`noAnswerShare`) and the chat ended without a human reply
   * - `offline` — it became an offline message and the customer left
   * - `open` — still open when the run stopped
   */
  outcome: 'served' | 'robot' | 'abandoned' | 'unanswered' | 'offline' | 'open';
  /** The first human agent it was assigned to, or `null`. */
  firstAgentId: string | null;
  /** When a human agent first got it, or `null`. `firstAssignedAt - arrivedAt` is the routing wait. */
  firstAssignedAt: number | null;
  /** When a human first replied, or `null`. */
  firstReplyAt: number | null;
  /** When it ended, or `null` while open. */
  endedAt: number | null;
  /** Messages the customer sent after the first, while it was open. */
  followUps: number;
}

/** A customer who gave up waiting in the queue. */
export interface Abandonment {
  /** The customer who left. */
  customerId: string;
  /** When they gave up (ms). */
  at: number;
  /** How long they had waited in the queue (ms). */
  waitedMs: number;
}

/** One agent's state on the sampling grid of {@link SimulationSeries}. */
export interface AgentSeries {
  /** The agent these samples are of. */
  agentId: string;
  /** Consultations assigned to the agent so far (cumulative), at each sample time. */
  assignments: number[];
  /** Open consultations the agent holds (on hold or not), at each sample time. */
  active: number[];
  /**
   * The units of its cap taken (`AgentView.load`): the cost of each chat not on hold, and of each
   * wrap-up not over, at each sample time. It stays within `cap` unless a chat resumed from hold
   * above it.
   */
  load: number[];
  /** Customers awaiting the agent's reply (待回复人数), at each sample time. */
  pending: number[];
}

/** The shop's state sampled on a fixed grid, for charts. Sample `i` is the state at `times[i]`, after every event up to that time. */
export interface SimulationSeries {
  /** The grid step (ms). */
  stepMs: number;
  /** `0, stepMs, 2·stepMs, …` up to `durationMs`. */
  times: number[];
  /** Consultations in the waiting queue, at each sample time. */
  queue: number[];
  /** One entry per scenario agent, in scenario order. */
  agents: AgentSeries[];
}

/** One agent's key figures. */
export interface AgentFigures {
  /** The agent these figures are of. */
  agentId: string;
  /** Consultations assigned to the agent (every reason: split, recent contact, overflow, re-routing…). */
  assignments: number;
  /** `assignments` / all assignments to humans; `null` when there were none. */
  share: number | null;
  /** The agent's receptions first answered within 1 minute / its receptions (响应率 @ 1 min). */
  responseRate1m: number | null;
  /** The agent's first response time (首次响应时间), ms. */
  firstResponseTimeMs: number | null;
  /** Assignments taken from the agent because it did not answer within `router.answerTimeoutMs`. */
  missed: number;
}

/**
 * The key figures of the consultations one group receives (接待范围), or of those that matched no
 * group. Every figure but `assignments` is over the consultations whose reception scope matched
 * the group when they were routed ({@link ConsultationOutcome.groups}), each consultation as one,
 * whoever then served it (a recent contact outside the group, an overflow, the robot); a
 * consultation whose scope matched two groups counts in each of them.
 */
export interface GroupFigures {
  /** The group; `null` for the consultations whose scope matched no group and routed among every agent. */
  groupId: string | null;
  /** New consultations whose reception scope matched the group (or none). */
  consultations: number;
  /**
   * Assignments through the group: agent decisions whose `groupId` is the group, whatever the
   * consultation's scope (an overflow into the group counts here). For `null`: agent decisions
   * without a `groupId` — recent contacts, dedicated agents, the every-agent pool, transfers to a
   * named agent. Every assignment counts in exactly one entry.
   */
  assignments: number;
  /**
   * Of the consultations, those first answered by a human within 60 s of arriving / the
   * consultations; `null` with none. Counted per consultation — the shop's `responseRate1m` counts
   * customer-days, as the metrics do, so the two differ when a customer comes back the same day.
   */
  responseRate1m: number | null;
  /** Mean time from arrival to the first human reply, over the consultations that got one (ms). */
  firstResponseTimeMs: number | null;
  /** Mean time from arrival to the first human assignment, over the consultations a human got (ms). */
  meanWaitMs: number | null;
  /** Consultations whose customer gave up in the waiting queue. */
  abandonments: number;
}

/** The figures a merchant looks at first; `compare` puts them side by side. */
export interface KeyFigures {
  /** New consultations (follow-up messages not counted). */
  consultations: number;
  /** Arrivals that were follow-up messages in a customer's open consultation. */
  followUps: number;
  /** 响应率 within 1 minute: receptions first answered by a human within 60 s / receptions. */
  responseRate1m: number | null;
  /** 首次响应时间: mean wait from the customer's first message to the first human reply (ms). */
  firstResponseTimeMs: number | null;
  /** Customers who gave up in the queue. */
  abandonments: number;
  /** `abandonments / consultations`. */
  abandonmentRate: number | null;
  /**
   * Consultations still in the waiting queue when the run stopped (held ones included): neither
   * served nor given up. Many of them tell of a policy that strands chats — a group nobody is in,
   * a cost above every cap — which no abandonment shows when customers wait without a `patience`.
   */
  waitingAtEnd: number;
  /** Consultations the robot resolved by itself. */
  robotResolved: number;
  /** Consultations that became offline messages (离线消息). */
  offlineMessages: number;
  /** Re-routings from one agent to another (rule 9), e.g. at the end of a shift or after an answer timeout. */
  transfers: number;
  /** Mean wait from arrival to the first human assignment (ms), over the consultations a human got; `null` when none did. */
  meanWaitMs: number | null;
  /** Re-offers: consultations taken back from an agent that did not answer within `router.answerTimeoutMs` (超时转接). */
  reoffers: number;
  /** Agents the router suspended after `router.suspendAfterMisses` timeouts in a row. */
  suspensions: number;
  /** Assignments through a group's overflow step (reason `'overflow'`). */
  overflows: number;
  /** Returning customers held for their recent contact at cap (`router.holdForRecentContactMs`). */
  holds: number;
  /** Of the holds, those that got the agent they were held for before the hold ended. */
  holdsKept: number;
  /** Chats that ended without any human reply because their agent never answered (`noAnswerShare`). */
  unanswered: number;
  /**
   * New consultations that met the shop closed (`router.businessHours`): their decision on
   * arrival had reason `'closed'` — the robot, the queue or an offline account.
   */
  closed: number;
  /**
   * Holds of chats in which nobody wrote for `router.inactiveAfterMs`: each time a chat went on
   * hold and freed its cost of its agent's cap (a chat may go on hold more than once).
   */
  inactivityHolds: number;
  /** Of the `inactivityHolds`, those a later message ended (a follow-up or the agent's reply): the chat counted against the cap again. */
  resumed: number;
  /** One entry per scenario agent, in scenario order. */
  agents: AgentFigures[];
  /**
   * One entry per group of `router.groups`, in option order, then one (`groupId: null`) for the
   * consultations that matched no group; empty when the scenario has no groups. Consultations sum
   * to `consultations` when no consultation matches two groups; assignments always sum to all
   * assignments to humans.
   */
  groups: GroupFigures[];
}

/** What {@link simulate} returns: plain data (no Maps outside `metrics`), byte-identical for the same scenario. */
export interface SimulationResult {
  /** Every decision the router made, in order: routes, escalations, re-routings, queue drains. */
  decisions: Decision[];
  /** The conversation log, in time order: what `computeMetrics` takes. */
  events: ConversationEvent[];
  /** `computeMetrics(events, { asOf: durationMs, timeZoneOffsetMs: 0 })`: simulated days start at time 0. */
  metrics: MetricsReport;
  /** Customers who gave up in the queue, in time order. */
  abandonments: Abandonment[];
  /** One entry per new consultation, in arrival order. */
  consultations: ConsultationOutcome[];
  /** The shop and every agent sampled on the grid of `sampleEveryMs`, for charts. */
  series: SimulationSeries;
  /** The run's key figures: response, waits, abandonment, shares, per agent and per group. */
  summary: KeyFigures;
}

/** {@link KeyFigures.groups}: one pass over the decisions, one over the consultations. */
export function groupFigures(groupIds: readonly string[], decisions: readonly Decision[], consultations: readonly ConsultationOutcome[]): GroupFigures[] {
  if (groupIds.length === 0) return [];
  interface Sums { consultations: number; assignments: number; within1m: number; replied: number; replySumMs: number; served: number; waitSumMs: number; abandonments: number }
  const sums = new Map<string | null, Sums>();
  for (const id of [...groupIds, null]) {
    sums.set(id, { consultations: 0, assignments: 0, within1m: 0, replied: 0, replySumMs: 0, served: 0, waitSumMs: 0, abandonments: 0 });
  }
  for (const d of decisions) {
    if (d.kind !== 'agent') continue;
    const entry = sums.get(d.groupId ?? null);
    if (entry !== undefined) entry.assignments++;
  }
  for (const c of consultations) {
    for (const id of c.groups ?? [null]) {
      const entry = sums.get(id) as Sums;
      entry.consultations++;
      if (c.firstReplyAt !== null) {
        const waited = c.firstReplyAt - c.arrivedAt;
        entry.replied++;
        entry.replySumMs += waited;
        if (waited <= MINUTE) entry.within1m++;
      }
      if (c.firstAssignedAt !== null) {
        entry.served++;
        entry.waitSumMs += c.firstAssignedAt - c.arrivedAt;
      }
      if (c.outcome === 'abandoned') entry.abandonments++;
    }
  }
  const mean = (sum: number, n: number): number | null => (n === 0 ? null : sum / n);
  return [...sums].map(([groupId, e]) => ({
    groupId,
    consultations: e.consultations,
    assignments: e.assignments,
    responseRate1m: mean(e.within1m, e.consultations),
    firstResponseTimeMs: mean(e.replySumMs, e.replied),
    meanWaitMs: mean(e.waitSumMs, e.served),
    abandonments: e.abandonments,
  }));
}
