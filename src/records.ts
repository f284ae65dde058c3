import type { Target } from './pipeline/bound-groups.js';
import type { Member } from './pipeline/busy-split.js';
import type { CustomerEntry } from './structures/customer-table.js';
import type { HeapItem } from './structures/indexed-heap.js';
import type { Waiting } from './structures/waiting-queue.js';
import type { AgentStatus, RecentContact } from './types.js';


/** The router's record of an agent. Changed only by the commit paths of {@link Shop}. */
export interface AgentRecord {
  readonly id: string;
  status: AgentStatus;
  weight: number;
  groups: string[];
  cap: number;
  pending: number;
  /** Its open consultations, on hold or not. */
  active: number;
  /** The cost units taken now: its consultations not on hold, and its wrap-ups (see `pipeline/capacity.ts`). */
  load: number;
  /** Its wrap-ups not over (`wrapUpMs`), for `removeAgent` to take out of the calendar. */
  wrapUps: Set<Deadline> | undefined;
  assigned: number;
  /** The shop's assignment counter at this agent's last assignment; 0 when never assigned. */
  lastSeq: number;
  /** Weight as the split mode sees it: 1 for everyone in `average` mode. */
  shareWeight: number;
  /** Set for good by `removeAgent`: the contact memory may still hold the record (see `StickyAgent`). */
  removed: boolean;
  /** Its assignments that timed out in a row (`suspendAfterMisses`); a reply resets it. */
  misses: number;
  /** One membership per candidate pool in existence that admits the agent. */
  members: Member[];
  /**
   * What `Shop#refresh` last filed the memberships by — out (0), non-busy (1) or busy (2), with the
   * agent's `lastSeq`, `shareWeight`, room (load − cap) and `members` then — so that a refresh that changes none of
   * them skips the pools (a busy agent's key is its load: it is always filed again).
   */
  placedAs: number;
  placedSeq: number;
  placedWeight: number;
  placedRoom: number;
  placedMembers: Member[] | undefined;
  /** Its open consultations, in assignment order: a list threaded through them (O(1) unlink). */
  firstOpen: Open | undefined;
  lastOpen: Open | undefined;
}

/** Where an open consultation is; `new` only while its first decision is being made. */
export type Where = 'new' | 'agent' | 'robot' | 'queued' | 'offline';

/**
 * An open consultation: with an agent, the robot, the queue or an offline account. Records are
 * reused once a consultation ends, so `open` sets every field.
 */
export interface Open extends Waiting {
  customerId: string;
  /** The customer's entry in the table: its remembered contact, and this consultation. */
  entry: CustomerEntry<Open, AgentRecord>;
  since: number;
  order: number;
  priority: number;
  orderState: string;
  /** Its reception-scope values (rule 5). */
  segment: string | undefined;
  product: string | undefined;
  intent: string | undefined;
  /** Where its reception scope routes (rule 5) and the reception mode that applies there (rule 4); held from its route to its end. */
  target: Target;
  dedicatedAgentId: string | undefined;
  recentContacts: readonly RecentContact[] | undefined;
  /** Agents it was taken from (rule 9): it goes back to them only as a transfer target or in a new round (see `choose`). */
  excluded: Set<string> | undefined;
  /** The robot handed it over (rule 4): it is not sent back to the robot. */
  escalated: boolean;
  where: Where;
  agent: AgentRecord | undefined;
  accountId: string | undefined;
  /** Neighbours in its agent's list of open consultations. */
  prevOfAgent: Open | undefined;
  nextOfAgent: Open | undefined;
  /** With an agent: the customer awaits the agent's reply (it counts in `pending`), since `awaitingSince`. */
  awaiting: boolean;
  /** Always a number (a field that held `undefined` would box every time stored in it). */
  awaitingSince: number;
  /** Queued: since when. */
  queuedAt: number;
  /** Queued and held for its recent contact (rule 2's hold): that agent's id. */
  heldFor: string | undefined;
  /** It was held once already: a consultation is held at most once. */
  holdDone: boolean;
  /** Queued: the overflow tiers it has reached (0: its bound groups only). */
  reach: number;
  /** Its one pending deadline (answer timeout, overflow step, end of hold), reused across them. */
  deadline: Deadline | undefined;
  /** The cost units it takes of its agent's cap (`Consultation.cost`). */
  cost: number;
  /** With an agent and on hold (`hold`, or inactive): it does not count in the agent's load or pending. */
  onHold: boolean;
  /** With an agent, not on hold, `inactiveAfterMs` set: when it goes on hold if nobody writes; reused. */
  quiet: Deadline | undefined;
}

/**
 * What a deadline does when `advance` reaches it: re-route an unanswered chat (`answer`), widen a
 * waiting one (`overflow`), end a hold for a recent contact (`hold`), put a quiet chat on hold
 * (`inactive`), free an agent's wrap-up (`wrap-up`), open the shop (`opening`).
 */
export type DeadlineKind = 'answer' | 'overflow' | 'hold' | 'inactive' | 'wrap-up' | 'opening';

/** A deadline in the shop's calendar: at `key` (ms), set `seq`-th (equal times fire in that order). */
export interface Deadline extends HeapItem {
  kind: DeadlineKind;
  /** The consultation it is about (all kinds but `wrap-up` and `opening`). */
  readonly open: Open | undefined;
  /** With `wrap-up`: the agent, and the cost units it frees. */
  readonly agent: AgentRecord | undefined;
  readonly cost: number;
}

export function newAgent(id: string, weight: number, groups: string[], cap: number, pending: number): AgentRecord {
  return {
    id, status: 'offline', weight, groups, cap, pending, active: 0, load: 0, wrapUps: undefined, assigned: 0, lastSeq: 0, shareWeight: 1,
    removed: false, misses: 0, members: [], placedAs: -1, placedSeq: 0, placedWeight: 0, placedRoom: 0, placedMembers: undefined, firstOpen: undefined, lastOpen: undefined,
  };
}

export function newOpen(customerId: string): Open {
  return {
    where: 'new', agent: undefined, prevOfAgent: undefined, nextOfAgent: undefined, entry: undefined as unknown as CustomerEntry<Open, AgentRecord>,
    excluded: undefined, customerId, target: undefined as unknown as Target, recentContacts: undefined, since: 0, order: 0,
    priority: 0, orderState: 'none', segment: undefined, product: undefined, intent: undefined, dedicatedAgentId: undefined, escalated: false, accountId: undefined,
    awaiting: false, awaitingSince: 0, queuedAt: 0, heldFor: undefined, holdDone: false, reach: 0, deadline: undefined, cost: 1, onHold: false, quiet: undefined,
  };
}

export function linkOpen(agent: AgentRecord, open: Open): void {
  open.prevOfAgent = agent.lastOpen;
  open.nextOfAgent = undefined;
  if (agent.lastOpen === undefined) agent.firstOpen = open;
  else agent.lastOpen.nextOfAgent = open;
  agent.lastOpen = open;
}

export function unlinkOpen(agent: AgentRecord, open: Open): void {
  if (open.prevOfAgent === undefined) agent.firstOpen = open.nextOfAgent;
  else open.prevOfAgent.nextOfAgent = open.nextOfAgent;
  if (open.nextOfAgent === undefined) agent.lastOpen = open.prevOfAgent;
  else open.nextOfAgent.prevOfAgent = open.prevOfAgent;
  open.prevOfAgent = undefined;
  open.nextOfAgent = undefined;
}

export function openOf(agent: AgentRecord): Open[] {
  const list: Open[] = [];
  for (let o = agent.firstOpen; o !== undefined; o = o.nextOfAgent) list.push(o);
  return list;
}

