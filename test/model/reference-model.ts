/**
 * A reference model of the Router's semantics, written to be read, not to be fast: plain arrays
 * and Maps, linear scans, no heap, no virtual times.
 *
 * Where it is exact: every rule except the fair-share pick among non-busy agents (rules 5, 6:
 * WF2Q+). Rule 1 (nobody online), rule 2 (most recent eligible contact, memory + caller's list),
 * rule 3 (dedicated), rule 4 (robot-first / mixed counter), the busy fallback (least load, then
 * least recently assigned, then id), rule 7 (robot / queue / main / proxy), rule 8 (queue order and
 * drains), rule 9 (re-routing and exclusions), the contact memory (expiry and eviction), every
 * view, every counter and every error code are predicted exactly.
 *
 * Where it is not: which non-busy agent the fair share picks. There the model asks an oracle (the
 * router's own decision), checks that the pick is one of the eligible non-busy agents of the right
 * candidate pool, and follows it. Fairness is then checked separately: while a pool's set of
 * non-busy agents (and their weights) stays fixed, the model counts the picks of that epoch and
 * records the largest |countᵢ − n·wᵢ/Σw| (pools where a pick went around an exclusion excepted).
 */
import type { RoutingErrorCode } from '../../src/errors.js';
import type {
  AgentStatus,
  AgentView,
  Decision,
  NoAgentPolicy,
  QueuedView,
  ReceptionMode,
  RecentContact,
  RerouteCause,
  RerouteReason,
  SplitMode,
} from '../../src/types.js';

export interface ModelGroup {
  id: string;
  segments?: string[];
  products?: string[];
  intents?: string[];
  orderStates: string[];
  receptionMode?: ReceptionMode;
  robotRatio?: number;
}

/** Fully resolved options, as the model needs them (the test also builds RouterOptions from it). */
export interface ModelConfig {
  splitMode: SplitMode;
  busyThreshold: number;
  stickyWindowMs: number;
  stickyToSuspended: boolean;
  receptionMode: ReceptionMode;
  robotRatio?: number;
  robot: boolean;
  noAgent: NoAgentPolicy;
  mainAccountId?: string;
  proxyAccountId?: string;
  groups: ModelGroup[];
  orderStates: string[];
  maxEntries: number;
}

export interface ModelAgent {
  id: string;
  status: AgentStatus;
  weight: number;
  groups: string[];
  cap: number;
  pending: number;
  active: number;
  assigned: number;
  /** The assignment counter at its last assignment (0: never). */
  lastSeq: number;
  /** Open consultations in assignment order. */
  open: ModelConsultation[];
  /** Its cap was set below its active count: it may sit above cap until it drains below it. */
  overCapAllowed: boolean;
}

export interface ModelConsultation {
  customerId: string;
  orderState: string;
  segment: string | undefined;
  product: string | undefined;
  intent: string | undefined;
  since: number;
  order: number;
  priority: number;
  dedicatedAgentId: string | undefined;
  recentContacts: RecentContact[] | undefined;
  excluded: Set<string>;
  escalated: boolean;
  where: 'agent' | 'robot' | 'queued' | 'offline';
  agentId: string | undefined;
  accountId: string | undefined;
  /** With an agent: it awaits the agent's reply and counts in its pending. */
  awaiting: boolean;
  /** Queued: since when. */
  queuedAt: number;
}

export type Outcome = { ok: true; decisions: Decision[] } | { ok: false; code: RoutingErrorCode };

/**
 * The oracle for the one inexact step: given the index of the decision being made in this call and
 * the eligible non-busy agent ids (in no particular order), it returns the id the router picked.
 */
export type Pick = (index: number, candidates: readonly string[]) => string;

export interface ModelSpec {
  id: string;
  status?: AgentStatus;
  weight?: number;
  groups?: string[];
  cap?: number;
  pending?: number;
}

export interface ModelRoute {
  customerId: string;
  orderState?: string;
  segment?: string;
  product?: string;
  intent?: string;
  priority?: number;
  dedicatedAgentId?: string;
  recentContacts?: RecentContact[];
}

type Stage = 'new' | 'escalated' | 'reroute' | 'drain';

type Choice =
  | { kind: 'agent'; agent: ModelAgent; reason: 'recent-contact' | 'dedicated' | 'split' | 'busy-fallback'; groupId: string | undefined; pool: string | undefined; mode: string | undefined }
  | { kind: 'robot'; reason: 'robot-first' | 'mixed'; mode: string }
  | { kind: 'nobody'; why: 'nobody-online' | 'no-human'; mode: string | undefined }
  | { kind: 'stay' };

/** A fair-share epoch of one candidate pool: a fixed set of non-busy agents and their picks. */
interface Epoch {
  signature: string;
  weights: Map<string, number>;
  counts: Map<string, number>;
  n: number;
}

export class ReferenceModel {
  readonly config: ModelConfig;
  /** Insertion order = the router's `agents()` order. */
  readonly agents = new Map<string, ModelAgent>();
  readonly open = new Map<string, ModelConsultation>();
  /** Kept sorted by priority desc, since asc, order asc. */
  queue: ModelConsultation[] = [];
  /** customerId → last contact; insertion order is oldest first (re-inserted on every remember). */
  readonly memory = new Map<string, { agentId: string; at: number }>();
  /** Per reception-mode context key: consultations that reached rule 4, and robot-by-mixed count. */
  readonly modes = new Map<string, { routed: number; robots: number }>();
  now = Number.NEGATIVE_INFINITY;
  seq = 0;
  arrivals = 0;
  /** Largest fair-share lag seen within an epoch where the pool's non-busy set was fixed. */
  maxLag = 0;
  /** Fair-share picks counted in some epoch. */
  fairPicks = 0;
  readonly #epochs = new Map<string, Epoch>();
  /**
   * Pools where a consultation was routed around an exclusion (rule 9). Such a pick is charged to
   * the agent that took it, so the excluded agent is owed and catches up afterwards: counts within
   * a later epoch may then differ from the exact share by more than 1. Epochs are not measured there.
   */
  readonly #disturbed = new Set<string>();
  #pick: Pick = () => {
    throw new Error('no oracle');
  };
  #out: Decision[] = [];

  constructor(config: ModelConfig) {
    this.config = config;
    this.modes.set('*', { routed: 0, robots: 0 });
    for (const g of config.groups) if (g.receptionMode !== undefined) this.modes.set(g.id, { routed: 0, robots: 0 });
  }

  // ───────────── read-outs, in the router's public shapes ─────────────

  views(): AgentView[] {
    return [...this.agents.values()].map((a) => ({
      id: a.id, status: a.status, weight: a.weight, groups: [...a.groups], cap: a.cap, active: a.active, load: a.active,
      pending: a.pending, busy: a.pending > this.config.busyThreshold, assigned: a.assigned,
    }));
  }

  queueViews(): QueuedView[] {
    return this.queue.map((q, i) => ({ customerId: q.customerId, position: i + 1, priority: q.priority, since: q.since }));
  }

  // ───────────── validation (returns the error code the router must throw, or undefined) ─────────────

  checkUpsert(spec: ModelSpec): RoutingErrorCode | undefined {
    const known = new Set(this.config.groups.map((g) => g.id));
    if (spec.groups?.some((g) => !known.has(g))) return 'UNKNOWN_GROUP';
    return undefined;
  }

  checkAgent(id: string): RoutingErrorCode | undefined {
    return this.agents.has(id) ? undefined : 'UNKNOWN_AGENT';
  }

  checkRoute(c: ModelRoute, t: number): RoutingErrorCode | undefined {
    if (this.open.has(c.customerId)) return 'DUPLICATE_CUSTOMER';
    if (!this.config.orderStates.includes(c.orderState ?? 'none')) return 'UNKNOWN_ORDER_STATE';
    if (c.dedicatedAgentId !== undefined && !this.agents.has(c.dedicatedAgentId)) return 'UNKNOWN_AGENT';
    // A contact dated after the consultation is refused, not taken as the most recent.
    if (c.recentContacts?.some((r) => r.at > t)) return 'INVALID_ARGUMENT';
    return undefined;
  }

  checkEscalate(customerId: string): RoutingErrorCode | undefined {
    const c = this.open.get(customerId);
    if (c === undefined) return 'UNKNOWN_CUSTOMER';
    if (c.where !== 'robot') return 'INVALID_STATE';
    return undefined;
  }

  checkReroute(customerId: string, reason: RerouteReason, toAgentId: string | undefined): RoutingErrorCode | undefined {
    const c = this.open.get(customerId);
    if (c === undefined) return 'UNKNOWN_CUSTOMER';
    if (c.where !== 'agent') return 'INVALID_STATE';
    if (toAgentId === undefined) return undefined;
    if (reason !== 'transfer') return 'INVALID_ARGUMENT';
    const target = this.agents.get(toAgentId);
    if (target === undefined) return 'UNKNOWN_AGENT';
    if (target.id === c.agentId) return 'INVALID_ARGUMENT';
    if (target.status === 'offline' || target.active >= target.cap) return 'AGENT_UNAVAILABLE';
    return undefined;
  }

  checkEnd(customerId: string): RoutingErrorCode | undefined {
    return this.open.has(customerId) ? undefined : 'UNKNOWN_CUSTOMER';
  }

  // ───────────── operations (call only after the matching check returned undefined) ─────────────

  upsertAgent(spec: ModelSpec, t: number, pick: Pick): Decision[] {
    return this.#call(pick, t, () => {
      let agent = this.agents.get(spec.id);
      if (agent === undefined) {
        agent = {
          id: spec.id, status: 'offline', weight: 1, groups: [], cap: Number.POSITIVE_INFINITY, pending: 0,
          active: 0, assigned: 0, lastSeq: 0, open: [], overCapAllowed: false,
        };
        this.agents.set(spec.id, agent);
      }
      const wasOffline = agent.status === 'offline';
      if (spec.status !== undefined) agent.status = spec.status;
      if (spec.weight !== undefined) agent.weight = spec.weight;
      if (spec.groups !== undefined) agent.groups = [...new Set(spec.groups)];
      if (spec.cap !== undefined) agent.cap = spec.cap;
      if (spec.pending !== undefined) agent.pending = spec.pending;
      if (agent.active > agent.cap) agent.overCapAllowed = true;
      this.#observe();
      if (!wasOffline && agent.status === 'offline') this.#rerouteAll(agent, t, 'offline');
      this.#drain(t);
    });
  }

  setStatus(agentId: string, status: AgentStatus, t: number, pick: Pick): Decision[] {
    return this.#call(pick, t, () => {
      const agent = this.agents.get(agentId) as ModelAgent;
      if (agent.status === status) return;
      const wasOffline = agent.status === 'offline';
      agent.status = status;
      this.#observe();
      if (!wasOffline && status === 'offline') this.#rerouteAll(agent, t, 'offline');
      this.#drain(t);
    });
  }

  setPending(agentId: string, pending: number): void {
    (this.agents.get(agentId) as ModelAgent).pending = pending;
    this.#observe();
  }

  removeAgent(agentId: string, t: number, pick: Pick): Decision[] {
    return this.#call(pick, t, () => {
      const agent = this.agents.get(agentId) as ModelAgent;
      agent.status = 'offline';
      this.#observe();
      this.#rerouteAll(agent, t, 'removed');
      this.agents.delete(agentId);
      this.#observe();
      this.#drain(t);
    });
  }

  route(c: ModelRoute, t: number, pick: Pick): Decision[] {
    return this.#call(pick, t, () => {
      const consultation: ModelConsultation = {
        customerId: c.customerId, orderState: c.orderState ?? 'none', segment: c.segment, product: c.product, intent: c.intent, since: t, order: ++this.arrivals,
        priority: c.priority ?? 0, dedicatedAgentId: c.dedicatedAgentId,
        recentContacts: c.recentContacts?.map((r) => ({ ...r })), excluded: new Set(), escalated: false,
        where: 'queued', agentId: undefined, accountId: undefined, awaiting: false, queuedAt: t,
      };
      this.open.set(c.customerId, consultation);
      this.#decide(consultation, 'new', t, undefined, undefined);
    });
  }

  escalate(customerId: string, t: number, pick: Pick, intent?: string): Decision[] {
    return this.#call(pick, t, () => {
      const c = this.open.get(customerId) as ModelConsultation;
      c.escalated = true;
      if (intent !== undefined) c.intent = intent;
      this.#decide(c, 'escalated', t, undefined, undefined);
    });
  }

  reroute(customerId: string, reason: RerouteReason, toAgentId: string | undefined, t: number, pick: Pick): Decision[] {
    return this.#call(pick, t, () => {
      const c = this.open.get(customerId) as ModelConsultation;
      const from = this.agents.get(c.agentId as string) as ModelAgent;
      // Rule 2: an agent is remembered when it served — not when it declined or let the chat time out.
      if (reason !== 'declined' && reason !== 'timeout') this.#remember(customerId, from.id, t);
      this.#release(c);
      c.excluded.add(from.id);
      if (toAgentId !== undefined) {
        const target = this.agents.get(toAgentId) as ModelAgent;
        this.#assign(c, target, t);
        this.#out.push({ kind: 'agent', customerId, at: t, reroutedFrom: from.id, rerouteReason: reason, agentId: target.id, reason: 'transfer' });
      } else {
        this.#decide(c, 'reroute', t, from.id, reason);
      }
      this.#drain(t);
    });
  }

  end(customerId: string, t: number, pick: Pick): Decision[] {
    return this.#call(pick, t, () => {
      const c = this.open.get(customerId) as ModelConsultation;
      this.open.delete(customerId);
      if (c.where === 'queued') {
        this.queue = this.queue.filter((q) => q !== c);
      } else if (c.where === 'agent') {
        this.#remember(customerId, c.agentId as string, t);
        this.#release(c);
        this.#drain(t);
      }
    });
  }

  // ───────────── the rules ─────────────

  #call(pick: Pick, t: number, body: () => void): Decision[] {
    this.#pick = pick;
    this.#out = [];
    this.now = t;
    body();
    const out = this.#out;
    this.#out = [];
    return out;
  }

  /** The reception-mode context of a consultation: the first matched group (option order) that sets a mode, else the shop's. */
  #modeKey(c: ModelConsultation): string {
    const bound = this.#boundGroups(c);
    const owner = this.config.groups.find((g) => bound.includes(g.id) && g.receptionMode !== undefined);
    return owner === undefined ? '*' : owner.id;
  }

  #modeOf(key: string): { mode: ReceptionMode; ratio: number } {
    const o = this.config;
    if (key === '*') return { mode: o.receptionMode, ratio: o.robotRatio ?? 0 };
    const g = o.groups.find((x) => x.id === key) as ModelGroup;
    return { mode: g.receptionMode as ReceptionMode, ratio: g.robotRatio ?? o.robotRatio ?? 0 };
  }

  /**
   * The groups a consultation's reception scope matches, written from the rule's text: from all
   * groups, segment → product → intent → order state, each keeps the remaining groups binding its
   * value when there are any. Empty: nothing narrowed, every agent.
   */
  #boundGroups(c: ModelConsultation): string[] {
    let remaining = this.config.groups;
    let narrowed = false;
    const values: [string | undefined, (g: ModelGroup) => string[]][] = [
      [c.segment, (g) => g.segments ?? []], [c.product, (g) => g.products ?? []], [c.intent, (g) => g.intents ?? []], [c.orderState, (g) => g.orderStates],
    ];
    for (const [value, scope] of values) {
      if (value === undefined) continue;
      const binding = remaining.filter((g) => scope(g).includes(value));
      if (binding.length > 0) {
        remaining = binding;
        narrowed = true;
      }
    }
    return narrowed ? remaining.map((g) => g.id) : [];
  }

  #poolKey(c: ModelConsultation): string {
    const bound = this.#boundGroups(c);
    return bound.length === 0 ? '*' : JSON.stringify(bound);
  }

  #inPool(agent: ModelAgent, bound: readonly string[]): boolean {
    return bound.length === 0 || agent.groups.some((g) => bound.includes(g));
  }

  #load(a: ModelAgent): number {
    return this.config.splitMode === 'weighted' ? a.pending / a.weight : a.pending;
  }

  #choose(c: ModelConsultation, stage: Stage, t: number): Choice {
    const o = this.config;
    // Rule 1.
    if (![...this.agents.values()].some((a) => a.status !== 'offline')) {
      return stage === 'drain' ? { kind: 'stay' } : { kind: 'nobody', why: 'nobody-online', mode: undefined };
    }
    // Rule 2: remembered contact first, then the caller's in order; a later one wins only if strictly more recent.
    if (o.stickyWindowMs > 0) {
      const candidates: RecentContact[] = [];
      const remembered = this.memory.get(c.customerId);
      if (remembered !== undefined && t - remembered.at <= o.stickyWindowMs) candidates.push(remembered);
      candidates.push(...(c.recentContacts ?? []));
      let best: RecentContact | undefined;
      for (const r of candidates) {
        if (t - r.at > o.stickyWindowMs) continue;
        if (best !== undefined && r.at <= best.at) continue;
        const a = this.agents.get(r.agentId);
        const ok = a !== undefined && a.active < a.cap && !c.excluded.has(a.id) &&
          (a.status === 'online' || (a.status === 'suspended' && o.stickyToSuspended));
        if (ok) best = r;
      }
      if (best !== undefined) {
        return { kind: 'agent', agent: this.agents.get(best.agentId) as ModelAgent, reason: 'recent-contact', groupId: undefined, pool: undefined, mode: undefined };
      }
    }
    // Rule 3.
    if (c.dedicatedAgentId !== undefined) {
      const a = this.agents.get(c.dedicatedAgentId);
      if (a !== undefined && a.status === 'online' && a.active < a.cap && !c.excluded.has(a.id)) {
        return { kind: 'agent', agent: a, reason: 'dedicated', groupId: undefined, pool: undefined, mode: undefined };
      }
    }
    // Rule 4: new consultations only; the mixed counter sends the (n+1)-th to the robot when ⌊(n+1)·ratio⌋ > robots.
    let mode: string | undefined;
    if (stage === 'new') {
      mode = this.#modeKey(c);
      const { mode: m, ratio } = this.#modeOf(mode);
      const counter = this.modes.get(mode) as { routed: number; robots: number };
      if (m === 'robot-first') return { kind: 'robot', reason: 'robot-first', mode };
      if (m === 'mixed' && Math.floor((counter.routed + 1) * ratio + 1e-9) > counter.robots) return { kind: 'robot', reason: 'mixed', mode };
    }
    // Rules 5 and 6.
    const bound = this.#boundGroups(c);
    const pool = [...this.agents.values()].filter((a) =>
      this.#inPool(a, bound) && a.status === 'online' && a.active < a.cap && !c.excluded.has(a.id));
    const groupOf = (a: ModelAgent): string | undefined => (bound.length === 0 ? undefined : a.groups.find((g) => bound.includes(g)));
    const nonBusy = pool.filter((a) => a.pending <= o.busyThreshold);
    if (nonBusy.length > 0) {
      // The inexact step: the router's WF2Q+ pick, which must be one of these.
      const id = this.#pick(this.#out.length, nonBusy.map((a) => a.id));
      const agent = nonBusy.find((a) => a.id === id);
      if (agent === undefined) throw new Error(`fair-share pick ${JSON.stringify(id)} is not an eligible non-busy agent of the pool (${nonBusy.map((a) => a.id).join(', ')})`);
      return { kind: 'agent', agent, reason: 'split', groupId: groupOf(agent), pool: this.#poolKey(c), mode };
    }
    if (pool.length > 0) {
      let best = pool[0] as ModelAgent;
      for (const a of pool) {
        const la = this.#load(a);
        const lb = this.#load(best);
        if (la < lb || (la === lb && (a.lastSeq < best.lastSeq || (a.lastSeq === best.lastSeq && a.id < best.id)))) best = a;
      }
      return { kind: 'agent', agent: best, reason: 'busy-fallback', groupId: groupOf(best), pool: undefined, mode };
    }
    // Rule 7.
    return stage === 'drain' ? { kind: 'stay' } : { kind: 'nobody', why: 'no-human', mode };
  }

  #decide(c: ModelConsultation, stage: Stage, t: number, reroutedFrom: string | undefined, cause: RerouteCause | undefined): boolean {
    let choice = this.#choose(c, stage, t);
    // A re-routed consultation that nobody it was not taken from can take now starts a new round,
    // kept only from the agent it was just taken from: to one taken from before, or to the queue.
    if (stage === 'reroute' && choice.kind === 'nobody' && c.excluded.size > 1) {
      c.excluded = new Set([reroutedFrom as string]);
      choice = this.#choose(c, stage, t);
    }
    if (choice.kind === 'stay') return false;
    const base = reroutedFrom === undefined ? { customerId: c.customerId, at: t } : { customerId: c.customerId, at: t, reroutedFrom, rerouteReason: cause };
    if (choice.mode !== undefined) {
      const counter = this.modes.get(choice.mode) as { routed: number; robots: number };
      counter.routed++;
      if (choice.kind === 'robot' && choice.reason === 'mixed') counter.robots++;
    }
    switch (choice.kind) {
      case 'agent': {
        if (choice.pool !== undefined && c.excluded.size === 0) this.#countFairPick(choice.pool, choice.agent.id);
        else if (choice.pool !== undefined) this.#disturb(choice.pool);
        const waited = stage === 'drain' ? { waitedMs: t - c.queuedAt } : {};
        if (c.where === 'queued') this.queue = this.queue.filter((q) => q !== c);
        this.#assign(c, choice.agent, t);
        const reason = choice.reason;
        this.#out.push(choice.groupId === undefined
          ? { kind: 'agent', ...base, agentId: choice.agent.id, reason, ...waited }
          : { kind: 'agent', ...base, agentId: choice.agent.id, groupId: choice.groupId, reason, ...waited });
        break;
      }
      case 'robot':
        c.where = 'robot';
        this.#out.push({ kind: 'robot', ...base, reason: choice.reason });
        break;
      case 'nobody': {
        const o = this.config;
        if (o.robot && !c.escalated) {
          c.where = 'robot';
          this.#out.push({ kind: 'robot', ...base, reason: 'no-human' });
        } else if (o.noAgent === 'queue') {
          c.where = 'queued';
          c.queuedAt = t;
          this.queue.push(c);
          this.queue.sort((a, b) => b.priority - a.priority || a.since - b.since || a.order - b.order);
          this.#out.push({ kind: 'queued', ...base, position: this.queue.indexOf(c) + 1, reason: 'no-human' });
        } else {
          const accountId = (o.noAgent === 'main' ? o.mainAccountId : o.proxyAccountId) as string;
          c.where = 'offline';
          c.accountId = accountId;
          this.#out.push({ kind: 'offline', ...base, accountId, reason: choice.why });
        }
        break;
      }
    }
    return true;
  }

  #assign(c: ModelConsultation, agent: ModelAgent, t: number): void {
    if (agent.active >= agent.cap) throw new Error(`model: assignment to ${agent.id} at cap ${agent.cap}`);
    agent.active++;
    // The chat awaits the agent's reply from its assignment; it stops counting when it leaves.
    agent.pending++;
    c.awaiting = true;
    agent.assigned++;
    agent.lastSeq = ++this.seq;
    agent.open.push(c);
    c.where = 'agent';
    c.agentId = agent.id;
    c.accountId = undefined;
    this.#observe();
  }

  #release(c: ModelConsultation): void {
    const agent = this.agents.get(c.agentId as string) as ModelAgent;
    agent.active--;
    if (c.awaiting) agent.pending = Math.max(0, agent.pending - 1);
    c.awaiting = false;
    agent.open = agent.open.filter((x) => x !== c);
    if (agent.active <= agent.cap) agent.overCapAllowed = false;
    c.agentId = undefined;
    this.#observe();
  }

  #rerouteAll(agent: ModelAgent, t: number, cause: 'offline' | 'removed'): void {
    const list = [...agent.open].sort((a, b) => a.since - b.since || a.order - b.order);
    for (const c of list) {
      this.#remember(c.customerId, agent.id, t);
      this.#release(c);
      c.excluded.add(agent.id);
      this.#decide(c, 'reroute', t, agent.id, cause);
    }
  }

  #drain(t: number): void {
    const o = this.config;
    const hasSlot = (a: ModelAgent): boolean => a.active < a.cap && (a.status === 'online' || (a.status === 'suspended' && o.stickyToSuspended));
    for (const c of [...this.queue]) {
      if (![...this.agents.values()].some(hasSlot)) break;
      this.#decide(c, 'drain', t, undefined, undefined);
    }
  }

  #remember(customerId: string, agentId: string, at: number): void {
    const o = this.config;
    if (o.stickyWindowMs <= 0 || o.maxEntries === 0) return;
    this.memory.delete(customerId);
    this.memory.set(customerId, { agentId, at });
    for (const [key, e] of this.memory) if (at - e.at > o.stickyWindowMs) this.memory.delete(key);
    for (const key of this.memory.keys()) {
      if (this.memory.size <= o.maxEntries) break;
      this.memory.delete(key);
    }
  }

  // ───────────── fair-share epochs ─────────────

  /** The non-busy, available members of each pool with their share weights, as a comparable string. */
  #signature(bound: readonly string[]): { signature: string; weights: Map<string, number> } {
    const weights = new Map<string, number>();
    for (const a of this.agents.values()) {
      if (this.#inPool(a, bound) && a.status === 'online' && a.active < a.cap && a.pending <= this.config.busyThreshold) {
        weights.set(a.id, this.config.splitMode === 'weighted' ? a.weight : 1);
      }
    }
    return { signature: JSON.stringify([...weights].sort((x, y) => (x[0] < y[0] ? -1 : 1))), weights };
  }

  /** Ends every epoch whose pool's non-busy set changed; called after every state change. */
  #observe(): void {
    for (const [key, epoch] of this.#epochs) {
      const bound = key === '*' ? [] : (JSON.parse(key) as string[]);
      if (this.#signature(bound).signature !== epoch.signature) this.#epochs.delete(key);
    }
  }

  #disturb(poolKey: string): void {
    this.#disturbed.add(poolKey);
    this.#epochs.delete(poolKey);
  }

  #countFairPick(poolKey: string, agentId: string): void {
    if (this.#disturbed.has(poolKey)) return;
    const bound = poolKey === '*' ? [] : (JSON.parse(poolKey) as string[]);
    let epoch = this.#epochs.get(poolKey);
    if (epoch === undefined) {
      const { signature, weights } = this.#signature(bound);
      epoch = { signature, weights, counts: new Map(), n: 0 };
      this.#epochs.set(poolKey, epoch);
    }
    epoch.n++;
    epoch.counts.set(agentId, (epoch.counts.get(agentId) ?? 0) + 1);
    this.fairPicks++;
    let total = 0;
    for (const w of epoch.weights.values()) total += w;
    for (const [id, w] of epoch.weights) {
      const lag = Math.abs((epoch.counts.get(id) ?? 0) - (epoch.n * w) / total);
      if (lag > this.maxLag) this.maxLag = lag;
    }
  }
}
