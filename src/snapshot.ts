import { quote, RoutingError } from './errors.js';
import { droppedLimit } from './pipeline/bound-groups.js';
import type { Pool } from './pipeline/busy-split.js';
import type { ModeContext } from './pipeline/reception-mode.js';
import { settle } from './pipeline/capacity.js';
import { linkOpen, newAgent, newOpen, openOf, type AgentRecord, type Deadline, type DeadlineKind, type Open, type Where } from './records.js';
import type { Shop } from './shop.js';
import type { RouterOptions } from './options.js';
import type { BusinessHoursSpec } from './time/business-hours.js';
import type { AgentStatus, GroupSpec, NoAgentPolicy, ReceptionMode, SplitMode } from './types.js';
import { MAX_COST, MAX_ID_LENGTH, MAX_RECENT_CONTACTS, MAX_TIME, MAX_WEIGHT, MIN_COST, MIN_WEIGHT } from './validate.js';

/**
 * The schema version `Router.snapshot()` writes. `Router.restore()` reads it, version 2 (written
 * before reception scopes: its consultations have no segment, product or intent) and version 1
 * (written before deadlines and conversations: it restores with none pending and nobody awaiting a
 * reply).
 */
export const SNAPSHOT_VERSION = 3;

/**
 * A router's whole state as plain JSON (no functions, no `Infinity`: an unbounded cap is `null`).
 * Its layout is internal and may change between schema versions; `version` says which one it is.
 */
export interface RouterSnapshot {
  /** The schema version it was written in ({@link SNAPSHOT_VERSION} by this version of fenliu). */
  version: number;
  /** The router's options, resolved (defaults filled in); `clock` is not kept. */
  options: {
    splitMode: SplitMode;
    busyThreshold: number;
    /** `null`: an unbounded window (`Infinity`). */
    stickyWindowMs: number | null;
    stickyToSuspended: boolean;
    receptionMode: ReceptionMode;
    robotRatio?: number;
    robot: boolean;
    noAgent: NoAgentPolicy;
    mainAccountId?: string;
    proxyAccountId?: string;
    groups: GroupSpec[];
    orderStates: string[];
    contactMemory: { maxEntries: number };
    answerTimeoutMs?: number;
    suspendAfterMisses?: number;
    holdForRecentContactMs?: number;
    inactiveAfterMs?: number;
    wrapUpMs?: number;
    businessHours?: BusinessHoursSpec;
  };
  /** The latest time the router had seen, or `null` before any. */
  now: number | null;
  /** Deadlines set so far: the order of equal-time deadlines. (Version 2.) */
  deadlineSeq?: number;
  /** Assignments made so far: the order of the least-recently-assigned tie-break. */
  seq: number;
  /** Consultations routed so far: the order of arrivals in the queue. */
  arrivals: number;
  /** Every agent, with its state and its place in each pool. */
  agents: {
    id: string;
    status: AgentStatus;
    weight: number;
    groups: string[];
    cap: number | null;
    pending: number;
    assigned: number;
    lastSeq: number;
    /** Customer ids of its open consultations, in assignment order. */
    open: string[];
    members: { pool: string; start: number; finish: number }[];
    /** Timed-out assignments in a row. (Version 2.) */
    misses?: number;
  }[];
  /** The pools in existence, idle ones first from the least recently used (versions 1 and 2 list every pool their options defined). */
  pools: { key: string; virtualTime: number; totalWeight: number; anchor?: number; picks?: number }[];
  /** The mixed reception mode's counts, per group (and the shop). */
  modes: { key: string; routed: number; robots: number }[];
  /** Every open consultation: where it is, its deadlines and its exclusions. */
  consultations: {
    customerId: string;
    orderState: string;
    /** Version 3: its reception-scope values. */
    segment?: string;
    product?: string;
    intent?: string;
    since: number;
    order: number;
    priority: number;
    dedicatedAgentId?: string;
    recentContacts?: { agentId: string; at: number }[];
    excluded: string[];
    escalated: boolean;
    where: 'agent' | 'robot' | 'queued' | 'offline';
    agentId?: string;
    accountId?: string;
    /** Version 2: since when it awaits its agent's reply. */
    awaitingSince?: number;
    /** Version 2, queued: since when, the overflow tiers reached, and the agent it is held for. */
    queuedAt?: number;
    reach?: number;
    heldFor?: string;
    holdDone?: boolean;
    /** Version 2: its pending deadline. */
    deadline?: { kind: 'answer' | 'overflow' | 'hold'; at: number; seq: number };
    /** Version 3: its cost when not 1; on hold; when it goes on hold if nobody writes. */
    cost?: number;
    onHold?: boolean;
    quiet?: { at: number; seq: number };
  }[];
  /** The contact memory, oldest first: [customerId, agentId, at]. */
  contacts: [string, string, number][];
  /** Per pool, the times of its last services from the queue (for the estimated wait); absent in older snapshots. */
  departures?: [string, number[]][];
  /** Version 3: wrap-ups not over, [agentId, cost, at, seq]. */
  wrapUps?: [string, number, number, number][];
  /**
   * Version 3: the next opening, once a consultation met the shop closed — or a service of the
   * queue by every agent at the snapshot's time, after a restore that let a queued consultation of
   * an earlier version wait for more agents.
   */
  opening?: { at: number; seq: number };
  /** Version 3: what the idle pools' budget learned: the members it grew by, and the pools dropped last, oldest first. */
  idle?: { grown: number; dropped: string[] };
}

type Check = (value: unknown, path: string) => void;

function fail(path: string, what: string, value: unknown): never {
  const got = value === undefined ? 'undefined' : typeof value === 'object' ? (value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object') : `${String(value)} (${typeof value})`;
  throw new RoutingError('INVALID_SNAPSHOT', `Expected \`snapshot${path}\` to be ${what}, got ${got}`, `snapshot${path}`);
}

const str: Check = (v, p) => { if (typeof v !== 'string' || v.length === 0) fail(p, 'a non-empty string', v); };
/** An id a call may carry (agent, customer, group, scope value): a restored one must stay addressable. */
const id: Check = (v, p) => { if (typeof v !== 'string' || v.length === 0 || v.length > MAX_ID_LENGTH) fail(p, `a non-empty string of at most ${MAX_ID_LENGTH} characters`, v); };
const num: Check = (v, p) => { if (typeof v !== 'number' || !Number.isFinite(v)) fail(p, 'a finite number', v); };
const count: Check = (v, p) => { if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(p, 'an integer >= 0', v); };
const within = (min: number, max: number): Check => (v, p) => { if (typeof v !== 'number' || !(v >= min && v <= max)) fail(p, `a number in [${min}, ${max}]`, v); };
const cost = within(MIN_COST, MAX_COST);
/** A time a call gave (a `Date`'s range, as calls are held to); deadlines computed from one may lie past it. */
const time = within(-MAX_TIME, MAX_TIME);
const bool: Check = (v, p) => { if (typeof v !== 'boolean') fail(p, 'a boolean', v); };
const optional = (check: Check): Check => (v, p) => { if (v !== undefined) check(v, p); };
const nullable = (check: Check): Check => (v, p) => { if (v !== null) check(v, p); };
const oneOf = (...allowed: string[]): Check => (v, p) => { if (typeof v !== 'string' || !allowed.includes(v)) fail(p, `one of ${allowed.join(', ')}`, v); };
const array = (check: Check): Check => (v, p) => {
  if (!Array.isArray(v)) fail(p, 'an array', v);
  // Every index, an empty slot of a sparse array included (forEach would skip it).
  for (const [i, item] of (v as unknown[]).entries()) check(item, `${p}[${i}]`);
};
const object = (shape: Record<string, Check>): Check => (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, 'an object', v);
  for (const [key, check] of Object.entries(shape)) check((v as Record<string, unknown>)[key], `${p}.${key}`);
};
const atMost = (max: number, check: Check): Check => (v, p) => {
  check(v, p);
  if ((v as unknown[]).length > max) fail(p, `an array of at most ${max}`, v);
};
const tuple = (...checks: Check[]): Check => (v, p) => {
  if (!Array.isArray(v) || v.length !== checks.length) fail(p, `an array of ${checks.length}`, v);
  checks.forEach((check, i) => check((v as unknown[])[i], `${p}[${i}]`));
};

const snapshotShape = object({
  version: num,
  options: (v, p) => { if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, 'an object', v); },
  now: nullable(time),
  deadlineSeq: optional(count),
  seq: count,
  arrivals: count,
  agents: array(object({
    id, status: oneOf('online', 'suspended', 'offline'), weight: within(MIN_WEIGHT, MAX_WEIGHT), groups: array(id), cap: nullable(count),
    pending: count, assigned: count, lastSeq: count, open: array(id),
    members: array(object({ pool: str, start: num, finish: num })),
    misses: optional(count),
  })),
  pools: array(object({ key: str, virtualTime: num, totalWeight: num, anchor: optional(num), picks: optional(count) })),
  modes: array(object({ key: str, routed: count, robots: count })),
  consultations: array(object({
    customerId: id, orderState: str, segment: optional(id), product: optional(id), intent: optional(id), since: time, order: count, priority: num, dedicatedAgentId: optional(id),
    recentContacts: optional(atMost(MAX_RECENT_CONTACTS, array(object({ agentId: id, at: time })))), excluded: array(id), escalated: bool,
    where: oneOf('agent', 'robot', 'queued', 'offline'), agentId: optional(id), accountId: optional(str),
    awaitingSince: optional(time), queuedAt: optional(time), reach: optional(count), heldFor: optional(id), holdDone: optional(bool),
    deadline: optional(object({ kind: oneOf('answer', 'overflow', 'hold'), at: num, seq: count })),
    cost: optional(cost), onHold: optional(bool), quiet: optional(object({ at: num, seq: count })),
  })),
  contacts: array(tuple(id, id, time)),
  departures: optional(array(tuple(str, array(num)))),
  wrapUps: optional(array(tuple(id, cost, num, count))),
  opening: optional(object({ at: num, seq: count })),
  idle: optional(object({ grown: count, dropped: array(str) })),
});

/** Checks a snapshot's shape and version before anything is built from it. */
export function readSnapshot(snapshot: unknown): RouterSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null) fail('', 'an object from Router#snapshot()', snapshot);
  const version = (snapshot as { version?: unknown }).version;
  if (version !== SNAPSHOT_VERSION && version !== 2 && version !== 1) fail('.version', `1, 2 or ${SNAPSHOT_VERSION} (the schemas this version of fenliu reads)`, version);
  snapshotShape(snapshot, '');
  return snapshot as RouterSnapshot;
}

/** A snapshot's options as `RouterOptions`: the unbounded contact window, `null` in JSON, is `Infinity` again. */
export function routerOptionsOf(stored: RouterSnapshot['options']): RouterOptions {
  return { ...(stored as RouterOptions), stickyWindowMs: stored.stickyWindowMs ?? Number.POSITIVE_INFINITY };
}

/** The shop's whole state as a snapshot: O(n log n) (the consultations are sorted by arrival). */
export function writeSnapshot(shop: Shop): RouterSnapshot {
  const o = shop.o;
  const opening = shop.opening;
  const pools = shop.scopes.inOrder();
  // Memberships in the order of the pools: an agent's own order depends on when each pool was made.
  const rank = new Map(pools.map((p, i) => [p, i]));
  return {
    version: SNAPSHOT_VERSION,
    options: {
      splitMode: o.splitMode, busyThreshold: o.busyThreshold, stickyWindowMs: Number.isFinite(o.stickyWindowMs) ? o.stickyWindowMs : null,
      stickyToSuspended: o.stickyToSuspended, receptionMode: o.receptionMode, robot: o.robot, noAgent: o.noAgent,
      ...(o.robotRatio === undefined ? {} : { robotRatio: o.robotRatio }),
      ...(o.mainAccountId === undefined ? {} : { mainAccountId: o.mainAccountId }),
      ...(o.proxyAccountId === undefined ? {} : { proxyAccountId: o.proxyAccountId }),
      groups: o.groups.map((g) => ({
        id: g.id, orderStates: [...g.orderStates],
        ...(g.segments.length === 0 ? {} : { segments: [...g.segments] }),
        ...(g.products.length === 0 ? {} : { products: [...g.products] }),
        ...(g.intents.length === 0 ? {} : { intents: [...g.intents] }),
        ...(g.receptionMode === undefined ? {} : { receptionMode: g.receptionMode }),
        ...(g.robotRatio === undefined ? {} : { robotRatio: g.robotRatio }),
        ...(g.overflow.length === 0 ? {} : { overflow: g.overflow.map((step) => ({ afterMs: step.afterMs, to: step.to === '*' ? '*' : [...step.to] })) }),
      })),
      orderStates: [...o.orderStates],
      contactMemory: { maxEntries: o.contactMemory.maxEntries },
      ...(o.answerTimeoutMs === undefined ? {} : { answerTimeoutMs: o.answerTimeoutMs }),
      ...(o.suspendAfterMisses === undefined ? {} : { suspendAfterMisses: o.suspendAfterMisses }),
      ...(o.holdForRecentContactMs === 0 ? {} : { holdForRecentContactMs: o.holdForRecentContactMs }),
      ...(o.inactiveAfterMs === undefined ? {} : { inactiveAfterMs: o.inactiveAfterMs }),
      ...(o.wrapUpMs === 0 ? {} : { wrapUpMs: o.wrapUpMs }),
      ...(o.businessHoursSpec === undefined ? {} : { businessHours: JSON.parse(JSON.stringify(o.businessHoursSpec)) as BusinessHoursSpec }),
    },
    now: Number.isFinite(shop.time.now) ? shop.time.now : null,
    deadlineSeq: shop.deadlineSeq,
    seq: shop.seq,
    arrivals: shop.arrivals,
    agents: [...shop.agents.values()].map((a) => ({
      id: a.id, status: a.status, weight: a.weight, groups: [...a.groups], cap: Number.isFinite(a.cap) ? a.cap : null,
      pending: a.pending, assigned: a.assigned, lastSeq: a.lastSeq, open: openOf(a).map((c) => c.customerId),
      members: [...a.members].sort((x, y) => (rank.get(x.pool) as number) - (rank.get(y.pool) as number)).map((m) => ({ pool: m.pool.key, start: m.start, finish: m.finish })),
      misses: a.misses,
    })),
    // V's anchor and picks since, when it has moved from its anchor (see Pool): V then follows on exactly.
    pools: pools.map((p) => (p.picks === 0
      ? { key: p.key, virtualTime: p.virtualTime, totalWeight: p.totalWeight }
      : { key: p.key, virtualTime: p.virtualTime, totalWeight: p.totalWeight, anchor: p.anchor, picks: p.picks })),
    idle: shop.scopes.idleState(),
    modes: shop.scopes.contexts.map((m) => ({ key: m.key, routed: m.routed, robots: m.robots })),
    consultations: [...shop.customers.openConsultations()].sort((a, b) => a.order - b.order).map((c) => ({
      customerId: c.customerId, orderState: c.orderState,
      ...(c.segment === undefined ? {} : { segment: c.segment }),
      ...(c.product === undefined ? {} : { product: c.product }),
      ...(c.intent === undefined ? {} : { intent: c.intent }),
      since: c.since, order: c.order, priority: c.priority,
      ...(c.dedicatedAgentId === undefined ? {} : { dedicatedAgentId: c.dedicatedAgentId }),
      ...(c.recentContacts === undefined ? {} : { recentContacts: c.recentContacts.map((r) => ({ agentId: r.agentId, at: r.at })) }),
      excluded: c.excluded === undefined ? [] : [...c.excluded],
      escalated: c.escalated,
      where: c.where as Exclude<Where, 'new'>,
      ...(c.agent === undefined ? {} : { agentId: c.agent.id }),
      ...(c.accountId === undefined ? {} : { accountId: c.accountId }),
      ...(c.awaiting ? { awaitingSince: c.awaitingSince } : {}),
      ...(c.where === 'queued' ? { queuedAt: c.queuedAt, reach: c.reach } : {}),
      ...(c.heldFor === undefined ? {} : { heldFor: c.heldFor }),
      ...(c.holdDone ? { holdDone: true } : {}),
      ...(c.deadline === undefined || c.deadline.heapIndex < 0 ? {} : { deadline: { kind: c.deadline.kind as 'answer' | 'overflow' | 'hold', at: c.deadline.key, seq: c.deadline.seq } }),
      ...(c.cost === 1 ? {} : { cost: c.cost }),
      ...(c.onHold ? { onHold: true } : {}),
      ...(c.quiet === undefined || c.quiet.heapIndex < 0 ? {} : { quiet: { at: c.quiet.key, seq: c.quiet.seq } }),
    })),
    contacts: [...shop.customers.contacts()].map((e) => [e.id, (e.contact as AgentRecord).id, e.contactAt]),
    departures: [...shop.departures].map(([pool, times]) => [pool.key, [...times]]),
    wrapUps: shop.deadlines.values().filter((d) => d.kind === 'wrap-up' && !(d.agent as AgentRecord).removed).sort((a, b) => a.seq - b.seq).map((d) => [(d.agent as AgentRecord).id, d.cost, d.key, d.seq]),
    ...(opening === undefined ? {} : { opening: { at: opening.key, seq: opening.seq } }),
  };
}

/**
 * Loads a shape-checked snapshot into a new shop made from its options: checks every cross-reference
 * first (so that a rejected snapshot builds nothing), then builds. O(n log n) in the shop's state:
 * every check is a map lookup, every placement a heap or ordered-set insertion.
 */
export function loadSnapshot(shop: Shop, s: RouterSnapshot): void {
  const fail = (field: string, what: string): never => {
    throw new RoutingError('INVALID_SNAPSHOT', `Expected \`snapshot.${field}\` to be ${what}`, `snapshot.${field}`);
  };
  const scopes = shop.scopes;
  // Each pool's groups, and by group the pools naming it: an agent's memberships are checked in O(its pools).
  const poolGroups = new Map<string, ReadonlySet<string> | undefined>();
  const poolsOfGroup = new Map<string, string[]>();
  for (const p of s.pools) {
    const groups = scopes.parseKey(p.key);
    if (groups === null || poolGroups.has(p.key)) fail('pools', `pools of these options' groups, each once, got ${quote(p.key)}`);
    const picks = p.picks ?? 0;
    if ((picks === 0) !== (p.anchor === undefined) || (picks > 0 && (p.anchor as number) + picks / p.totalWeight !== p.virtualTime)) {
      fail('pools', `with \`anchor\` and \`picks\` > 0 together, \`virtualTime\` = anchor + picks / totalWeight (${quote(p.key)})`);
    }
    poolGroups.set(p.key, groups ?? undefined);
    for (const g of groups ?? []) {
      const keys = poolsOfGroup.get(g);
      if (keys === undefined) poolsOfGroup.set(g, [p.key]);
      else keys.push(p.key);
    }
  }
  const contexts = new Map<string, ModeContext>(scopes.contexts.map((c) => [c.key, c]));
  if (new Set(s.modes.map((m) => m.key)).size !== s.modes.length || s.modes.some((m) => !contexts.has(m.key))) fail('modes', `among the ${contexts.size} reception modes these options define, each once`);
  const byCustomer = new Map(s.consultations.map((c) => [c.customerId, c]));
  if (byCustomer.size !== s.consultations.length) fail('consultations', 'one per customer');
  const holder = new Map<string, string>();
  const agentIds = new Set<string>();
  for (const a of s.agents) {
    if (agentIds.has(a.id)) fail('agents', `unique ids, got ${quote(a.id)} twice`);
    agentIds.add(a.id);
    for (const g of a.groups) if (!scopes.groupIds.has(g)) fail('agents', `in declared groups, got ${quote(g)}`);
    for (const id of a.open) {
      if (holder.has(id)) fail('agents', `listing each open consultation once (${quote(a.id)})`);
      holder.set(id, a.id);
      const c = byCustomer.get(id);
      if (c?.agentId !== a.id || c.where !== 'agent') fail('agents', `holding consultations that are with them (${quote(a.id)})`);
    }
    if (a.lastSeq > s.seq) fail('agents', `assigned no later than \`seq\` (${quote(a.id)})`);
  }
  if (new Set(s.consultations.map((c) => c.order)).size !== s.consultations.length) fail('consultations', 'of distinct arrival orders');
  if (s.consultations.some((c) => c.order > s.arrivals)) fail('consultations', 'of arrival orders no later than `arrivals`');
  for (let i = 1; i < s.contacts.length; i++) if ((s.contacts[i] as [string, string, number])[2] < (s.contacts[i - 1] as [string, string, number])[2]) fail('contacts', 'in ascending time order');
  for (const c of s.consultations) {
    if (!scopes.knowsState(c.orderState)) fail('consultations', `in known order states, got ${quote(c.orderState)}`);
    if (c.where === 'agent' && (c.agentId === undefined || holder.get(c.customerId) !== c.agentId)) fail('consultations', `with agents that list them (${quote(c.customerId)})`);
    if ((c.where === 'offline') !== (c.accountId !== undefined)) fail('consultations', `with an accountId exactly when an offline message (${quote(c.customerId)})`);
    if (c.where !== 'agent' && c.agentId !== undefined) fail('consultations', `with an agentId only when with an agent (${quote(c.customerId)})`);
    if (c.where === 'robot' && !shop.o.robot) fail('consultations', `with the robot only when options.robot is true (${quote(c.customerId)})`);
    const target = scopes.targetFor(c.segment, c.product, c.intent, c.orderState);
    if (c.reach !== undefined && c.reach > target.tiers.length) fail('consultations', `within their target's overflow steps (${quote(c.customerId)})`);
    for (const key of [target.pool.key, ...target.tiers.map((t) => t.pool.key)]) if (!poolGroups.has(key)) fail('pools', `listing the pools of every open consultation, without ${quote(key)} (${quote(c.customerId)})`);
    if (c.heldFor !== undefined && c.where !== 'queued') fail('consultations', `held only while queued (${quote(c.customerId)})`);
    if (c.awaitingSince !== undefined && c.where !== 'agent') fail('consultations', `awaiting a reply only when with an agent (${quote(c.customerId)})`);
    if (c.onHold === true && c.where !== 'agent') fail('consultations', `on hold only when with an agent (${quote(c.customerId)})`);
    if (c.quiet !== undefined && (c.where !== 'agent' || c.onHold === true || c.quiet.seq > (s.deadlineSeq ?? 0))) fail('consultations', `with an inactivity deadline only when with an agent and not on hold, set no later than \`deadlineSeq\` (${quote(c.customerId)})`);
    const kind = c.deadline?.kind;
    if (kind !== undefined && (kind === 'answer' ? c.where !== 'agent' : kind === 'hold' ? c.where !== 'queued' || c.heldFor === undefined : c.where !== 'queued')) {
      fail('consultations', `with an ${kind} deadline only ${kind === 'answer' ? 'when with an agent' : kind === 'hold' ? 'when held in the queue' : 'when queued'} (${quote(c.customerId)})`);
    }
    if (c.deadline !== undefined && c.deadline.seq > (s.deadlineSeq ?? 0)) fail('consultations', `with deadlines set no later than \`deadlineSeq\` (${quote(c.customerId)})`);
  }
  const wrapLoad = new Map<string, number>();
  for (const [agentId, cost, , seq] of s.wrapUps ?? []) {
    if (!agentIds.has(agentId) || seq > (s.deadlineSeq ?? 0)) fail('wrapUps', `of known agents, set no later than \`deadlineSeq\` (${quote(agentId)})`);
    wrapLoad.set(agentId, (wrapLoad.get(agentId) ?? 0) + cost);
  }
  if (s.opening !== undefined && s.opening.seq > (s.deadlineSeq ?? 0)) fail('opening', 'set no later than `deadlineSeq`');
  for (const [key] of s.departures ?? []) if (!poolGroups.has(key)) fail('departures', `of the snapshot's pools, got ${quote(key)}`);
  const dropped = s.idle?.dropped ?? [];
  const limit = droppedLimit(s.agents.length);
  const what = `at most ${limit} keys (256, or one per agent) of pools these options' groups make, each once and none in \`pools\``;
  if (dropped.length > limit) fail('idle.dropped', `${what}, got ${dropped.length}`);
  const seen = new Set<string>();
  for (const key of dropped) {
    if (scopes.parseKey(key) === null || poolGroups.has(key) || seen.has(key)) fail('idle.dropped', `${what}, got ${quote(key)}`);
    seen.add(key);
  }
  for (const a of s.agents) {
    const admitted = new Set<string>(poolGroups.has('*') ? ['*'] : []);
    for (const g of a.groups) for (const key of poolsOfGroup.get(g) ?? []) admitted.add(key);
    if (admitted.size !== a.members.length || a.members.some((m) => !admitted.delete(m.pool))) {
      fail('agents', `with memberships matching their groups (${quote(a.id)})`);
    }
  }

  // Validated: build.
  shop.seq = s.seq;
  shop.arrivals = s.arrivals;
  shop.deadlineSeq = s.deadlineSeq ?? 0;
  for (const m of s.modes) {
    const ctx = contexts.get(m.key) as ModeContext;
    ctx.routed = m.routed;
    ctx.robots = m.robots;
  }
  const pools = new Map<string, Pool>(s.pools.map((p) => [p.key, scopes.restorePool(p.key)]));
  if (s.idle !== undefined) scopes.restoreIdle(s.idle.grown, s.idle.dropped);
  const opens = new Map<string, Open>();
  const queued: Open[] = [];
  for (const c of s.consultations) {
    const open = newOpen(c.customerId);
    open.where = c.where;
    open.excluded = c.excluded.length > 0 ? new Set(c.excluded) : undefined;
    open.target = scopes.targetFor(c.segment, c.product, c.intent, c.orderState);
    scopes.acquire(open.target);
    open.segment = c.segment;
    open.product = c.product;
    open.intent = c.intent;
    open.recentContacts = c.recentContacts?.map((r) => ({ agentId: r.agentId, at: r.at }));
    open.since = c.since;
    open.order = c.order;
    open.priority = c.priority;
    open.orderState = c.orderState;
    open.dedicatedAgentId = c.dedicatedAgentId;
    open.escalated = c.escalated;
    open.accountId = c.accountId;
    open.awaiting = c.awaitingSince !== undefined;
    open.awaitingSince = c.awaitingSince ?? 0;
    open.queuedAt = c.queuedAt ?? c.since;
    open.reach = c.reach ?? 0;
    open.heldFor = c.heldFor;
    open.holdDone = c.holdDone ?? false;
    open.cost = c.cost ?? 1;
    open.onHold = c.onHold === true;
    if (c.quiet !== undefined) {
      open.quiet = { kind: 'inactive', open, agent: undefined, cost: 0, key: c.quiet.at, seq: c.quiet.seq, heapIndex: -1 };
      shop.deadlines.push(open.quiet);
    }
    if (c.deadline !== undefined) {
      open.deadline = { kind: c.deadline.kind as DeadlineKind, open, agent: undefined, cost: 0, key: c.deadline.at, seq: c.deadline.seq, heapIndex: -1 };
      shop.deadlines.push(open.deadline);
    }
    open.entry = shop.customers.open(c.customerId, undefined, open);
    opens.set(c.customerId, open);
    if (c.where === 'queued') queued.push(open);
  }
  for (const a of s.agents) {
    const agent = newAgent(a.id, a.weight, [...a.groups], a.cap ?? Number.POSITIVE_INFINITY, a.pending);
    agent.assigned = a.assigned;
    agent.lastSeq = a.lastSeq;
    agent.misses = a.misses ?? 0;
    shop.agents.set(a.id, agent);
    for (const id of a.open) {
      const open = opens.get(id) as Open;
      open.agent = agent;
      linkOpen(agent, open);
    }
    agent.active = a.open.length;
    // Its load: its consultations not on hold, and its wrap-ups.
    let load = 0;
    for (const id of a.open) {
      const open = opens.get(id) as Open;
      if (!open.onHold) load += open.cost;
    }
    agent.load = settle(load + (wrapLoad.get(a.id) ?? 0));
    shop.updateAgent(agent, a.status, a.weight, agent.groups, agent.cap, a.pending);
    const saved = new Map(a.members.map((m) => [m.pool, m]));
    for (const m of agent.members) {
      const times = saved.get(m.pool.key) as { start: number; finish: number };
      m.start = times.start;
      m.finish = times.finish;
    }
  }
  for (const p of s.pools) (pools.get(p.key) as Pool).restore(p.virtualTime, p.totalWeight, p.anchor ?? p.virtualTime, p.picks ?? 0);
  for (const [key, times] of s.departures ?? []) shop.departures.set(pools.get(key) as Pool, [...times]);
  for (const [agentId, cost, at, seq] of s.wrapUps ?? []) {
    const agent = shop.agents.get(agentId) as AgentRecord;
    const d: Deadline = { kind: 'wrap-up', open: undefined, agent, cost, key: at, seq, heapIndex: -1 };
    shop.deadlines.push(d);
    (agent.wrapUps ??= new Set()).add(d);
  }
  // An earlier version kept a queued consultation from every agent it was taken from; this one
  // keeps it from the last (a new round, as a re-route now queues it). The agents that frees may
  // take it now: every agent is offered the queue at the snapshot's time, at the first `advance`,
  // as an opening offers it (which it replaces: it serves the queue if the shop is open, and
  // schedules the opening if not).
  const narrowed = queued.filter((open) => (open.excluded?.size ?? 0) > 1);
  for (const open of narrowed) open.excluded = new Set([[...(open.excluded as Set<string>)].pop() as string]);
  if (narrowed.length > 0) shop.restoreOpening(s.now as number, ++shop.deadlineSeq);
  else if (s.opening !== undefined) shop.restoreOpening(s.opening.at, s.opening.seq);
  // A contact with an agent that is gone gets a removed record, as `removeAgent` leaves one.
  const gone = new Map<string, AgentRecord>();
  for (const [customerId, agentId, at] of s.contacts) {
    let agent = shop.agents.get(agentId) ?? gone.get(agentId);
    if (agent === undefined) {
      agent = newAgent(agentId, 1, [], 0, 0);
      agent.removed = true;
      gone.set(agentId, agent);
    }
    // Each contact is remembered at its own time, as it was; then the router's time is the snapshot's.
    shop.time.now = at;
    shop.customers.restore(customerId, agent);
  }
  shop.time.now = s.now ?? Number.NEGATIVE_INFINITY;
  // The queue last: its lanes name each consultation's recent contacts as remembered now.
  for (const open of queued) shop.enqueue(open);
}
