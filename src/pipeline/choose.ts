import type { ResolvedOptions } from '../options.js';
import type { AgentRecord, Open } from '../records.js';
import type { Time } from '../validate.js';
import type { AgentDecision } from '../types.js';
import { Tier, type Member, type Pool } from './busy-split.js';
import { fits } from './capacity.js';
import { modeDecision, type ModeContext } from './reception-mode.js';
import { chooseRecentContact } from './recent-contact.js';

/**
 * The rules in order, as one pure step: `choose` reads the shop and fills a {@link Choice}; it
 * changes nothing. The shop commits the choice (`Shop#commit`).
 */

/** What choosing reads of the shop. */
export interface ChoosingState {
  readonly o: ResolvedOptions;
  /** Agents online or suspended (rule 1). */
  readonly present: number;
  readonly time: Time;
  readonly agents: ReadonlyMap<string, AgentRecord>;
  /** Outside the shop's business hours now. */
  closed(): boolean;
}

/**
 * How a consultation is being routed: which rules apply and where "nobody" sends it. `new` goes
 * through every rule (a hold's end too, which skips the hold); `escalated` and `reroute` skip the
 * reception mode; `drain` (served from the queue, or widened by an overflow step) looks only for a
 * human and stays queued when none can take it.
 */
export type Stage = 'new' | 'escalated' | 'reroute' | 'drain';

/** What a choice is: stay queued, an agent, the robot, nobody (rules 1, 7), a hold for the recent contact. */
export const Kind = { Stay: 0, Agent: 1, Robot: 2, Nobody: 3, Hold: 4 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/**
 * A choice, before anything changes. One scratch record per shop, overwritten by every `#choose`:
 * choosing writes nothing else, and a route allocates no choice.
 */
export interface Choice {
  kind: Kind;
  agent: AgentRecord | undefined;
  /** The pool membership the fair split picked, whose share the commit charges. */
  member: Member | undefined;
  reason: AgentDecision['reason'] | 'robot-first' | 'mixed';
  groupId: string | undefined;
  why: 'nobody-online' | 'no-human' | 'closed';
  /** The reception mode the consultation reached (rule 4), whose counters the commit moves. */
  mode: ModeContext | undefined;
  /** No agent it was not taken from could take it: its exclusions restart from the last agent (see `choose`). */
  restartExclusions: boolean;
  /** With `Hold`: when the held-for agent served the customer. */
  contactAt: number;
}


/** A blank choice, for a shop to reuse. */
export function newChoice(): Choice {
  return { kind: Kind.Stay, agent: undefined, member: undefined, reason: 'split', groupId: undefined, why: 'no-human', mode: undefined, restartExclusions: false, contactAt: 0 };
}

/**
 * The rules in order, reading the state and writing only the scratch choice (see {@link Stage}).
 * A re-routed consultation that no agent it was not taken from can take now starts a new round,
 * kept only from the agent it was just taken from: it goes to one it was taken from before, or
 * waits for whoever has room first but that one. It never waits for good because everyone
 * declined or missed it once.
 */
export function choose(s: ChoosingState, c: Choice, open: Open, stage: Stage, reroutedFrom: string | undefined): void {
  const excluded = open.excluded;
  rules(s, c, open, stage, excluded);
  c.restartExclusions = false;
  if (c.kind !== Kind.Nobody || stage !== 'reroute' || excluded === undefined || excluded.size < 2 || reroutedFrom === undefined) return;
  // A re-route does not reach rule 4, so the second pass moves no mode counter either.
  rules(s, c, open, stage, new Set([reroutedFrom]));
  c.restartExclusions = true;
}

function rules(s: ChoosingState, c: Choice, open: Open, stage: Stage, excluded: ReadonlySet<string> | undefined): void {
  c.member = undefined;
  c.groupId = undefined;
  c.mode = undefined;
  // Business hours, as rule 1: a closed shop takes nothing new and serves no queue; a chat taken
  // back from its agent (a re-route) is still routed.
  if (stage !== 'reroute' && s.closed()) {
    c.kind = stage === 'drain' ? Kind.Stay : Kind.Nobody;
    c.why = 'closed';
    return;
  }
  // Rule 1: nobody online — an offline message, nothing else tried.
  if (s.present === 0) {
    c.kind = stage === 'drain' ? Kind.Stay : Kind.Nobody;
    c.why = 'nobody-online';
    return;
  }
  const o = s.o;
  c.kind = Kind.Agent;
  // Rule 2: the most recent eligible contact within the window, busy or not, suspended or not.
  if (o.stickyWindowMs > 0) {
    const agent = chooseRecentContact(open.entry, open.recentContacts, open, s.time, o, s.agents, excluded);
    if (agent !== undefined) {
      c.agent = agent;
      c.reason = 'recent-contact';
      return;
    }
    // A held consultation waits for its contact alone until its hold ends (a contact the memory
    // has let go since is no longer waited for: a restored router would not know it either).
    if (open.heldFor !== undefined) {
      c.kind = Kind.Stay;
      return;
    }
    // Rule 2's hold: a new consultation whose recent contact is present but at cap waits for it.
    if (stage === 'new' && o.holdForRecentContactMs > 0 && !open.holdDone && holdFor(s, c, open, excluded)) return;
  }
  // Rule 3: the dedicated agent, when eligible (online, not suspended, under cap).
  if (open.dedicatedAgentId !== undefined) {
    const a = s.agents.get(open.dedicatedAgentId);
    if (a !== undefined && a.status === 'online' && fits(a, open.cost) && !excluded?.has(a.id)) {
      c.agent = a;
      c.reason = 'dedicated';
      return;
    }
  }
  const target = open.target;
  // Rule 4: the reception mode, for new consultations only.
  if (stage === 'new') {
    c.mode = target.mode;
    const robot = modeDecision(target.mode);
    if (robot !== undefined) {
      c.kind = Kind.Robot;
      c.reason = robot;
      return;
    }
  }
  // Rules 5 and 6: the candidate pool's fair split among non-busy agents, else the least loaded;
  // past its overflow steps, the wider pools in turn. A queued consultation has the tiers its
  // fired deadlines reached; any other, those its wait has reached now.
  if (pick(c, open, stage === 'drain' ? open.reach : reachNow(open, s.time), excluded)) return;
  // Rule 7: nobody can take it.
  c.kind = stage === 'drain' ? Kind.Stay : Kind.Nobody;
  c.why = 'no-human';
}

/** Rules 5-6 over the consultation's pool and the overflow tiers it reached; fills the choice. */
function pick(c: Choice, open: Open, reach: number, excluded: ReadonlySet<string> | undefined): boolean {
  const target = open.target;
  let pool = target.pool;
  const cost = open.cost;
  let member = pool.choose(excluded, cost);
  for (let i = 0; member === undefined && i < reach; i++) {
    pool = (target.tiers[i] as { pool: Pool }).pool;
    member = pool.choose(excluded, cost);
  }
  if (member === undefined) return false;
  const agent = member.agent as AgentRecord;
  c.agent = agent;
  c.member = member;
  c.reason = pool !== target.pool ? 'overflow' : member.tier === Tier.Busy ? 'busy-fallback' : 'split';
  if (pool.groups !== undefined) {
    c.groupId = member.groupId;
  } else if (pool !== target.pool) {
    c.groupId = agent.groups[0];
  }
  return true;
}

/** Whether the consultation's most recent contact within the window is present but at cap: then the choice is to hold it for that agent. */
function holdFor(s: ChoosingState, c: Choice, open: Open, excluded: ReadonlySet<string> | undefined): boolean {
  const o = s.o;
  const now = s.time.now;
  let best: AgentRecord | undefined;
  let bestAt = Number.NEGATIVE_INFINITY;
  const consider = (agent: AgentRecord | undefined, at: number): void => {
    if (agent === undefined || now - at > o.stickyWindowMs || at <= bestAt) return;
    best = agent;
    bestAt = at;
  };
  const entry = open.entry;
  if (entry.contact !== undefined) consider(entry.contact.removed ? s.agents.get(entry.contact.id) : entry.contact, entry.contactAt);
  for (const r of open.recentContacts ?? []) consider(s.agents.get(r.agentId), r.at);
  const agent = best as AgentRecord | undefined;
  if (agent === undefined || excluded?.has(agent.id) || fits(agent, open.cost)) return false;
  if (!(agent.status === 'online' || (agent.status === 'suspended' && o.stickyToSuspended))) return false;
  c.kind = Kind.Hold;
  c.agent = agent;
  c.contactAt = bestAt;
  return true;
}

/**
 * How many overflow tiers a consultation has reached by waiting until `time.now` (read there, not
 * passed: a time passed to a call V8 does not inline is boxed, see `Time`). A step is reached at
 * `since + afterMs`, the sum its deadline is set at: `now - since` may round below `afterMs` at
 * that very time, and the step would then be due and never reached.
 */
export function reachNow(open: Open, time: Time): number {
  const tiers = open.target.tiers;
  if (tiers.length === 0) return 0;
  const now = time.now;
  let reach = 0;
  while (reach < tiers.length && open.since + (tiers[reach] as { afterMs: number }).afterMs <= now) reach++;
  return reach;
}
