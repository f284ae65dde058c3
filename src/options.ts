import { expected, quote, RoutingError } from './errors.js';
import { checkKeys, MAX_ID_LENGTH } from './validate.js';
import { parseBusinessHours, type BusinessHours, type BusinessHoursSpec } from './time/business-hours.js';
import type { GroupSpec, NoAgentPolicy, ReceptionMode, SplitMode } from './types.js';

/** The six order states of a Taobao / Tmall shop: 无活跃订单, 待付款, 未发货, 已发货, 退款中, 交易成功. */
export const DEFAULT_ORDER_STATES: readonly string[] = Object.freeze(['none', 'unpaid', 'unshipped', 'shipped', 'refunding', 'completed']);

const HOUR = 3_600_000;

/** The shop's routing settings. Every field is optional. */
export interface RouterOptions {
  /** 平均分流 or 权重分流. @default 'average' */
  splitMode?: SplitMode | undefined;
  /** An agent is busy (繁忙) when `pending > busyThreshold`. An integer ≥ 0. @default 4 */
  busyThreshold?: number | undefined;
  /** How long a served customer returns to the same agent (最近联系人), from the agent's last reply or the chat's end; 0 turns it off. @default 259200000 (72 h) */
  stickyWindowMs?: number | undefined;
  /** A suspended agent still receives its own recent contacts. @default true */
  stickyToSuspended?: boolean | undefined;
  /** 人工优先 / 机器人优先 / 混合. @default 'human-first' */
  receptionMode?: ReceptionMode | undefined;
  /** The robot's share in `mixed` mode, in [0, 1]; required for `'mixed'`. */
  robotRatio?: number | undefined;
  /** The shop has a robot (店小蜜). Required by `robot-first` and `mixed`. @default false */
  robot?: boolean | undefined;
  /** Where a consultation goes when no human can take it and there is no robot. @default 'queue' */
  noAgent?: NoAgentPolicy | undefined;
  /** 主账号: receives offline messages with `noAgent: 'main'`. */
  mainAccountId?: string | undefined;
  /** 代理账号: receives offline messages with `noAgent: 'proxy'`. */
  proxyAccountId?: string | undefined;
  /** Agent groups and their order-state bindings. @default [] */
  groups?: GroupSpec[] | undefined;
  /** The order states a consultation may carry. @default DEFAULT_ORDER_STATES */
  orderStates?: string[] | undefined;
  /**
   * The time a call uses when it omits `at` (ms): `Date.now` in a backend, a function of a
   * variable in a test. The router reads no other clock: without one, every call must pass `at`
   * (`INVALID_ARGUMENT` otherwise).
   */
  clock?: (() => number) | undefined;
  /** The router's own memory of whom each customer was served by: bounded and expiring. @default { maxEntries: 1000000 } */
  contactMemory?: { maxEntries: number } | undefined;
  /**
   * 超时转接: an assignment to a human that gets no `agentReply` within this long (ms) is re-routed
   * when `advance` reaches that time, as `reroute(customerId, { reason: 'timeout' })` would be:
   * never back to that agent. A number > 0; off when omitted.
   */
  answerTimeoutMs?: number | undefined;
  /**
   * An agent whose assignments time out this many times in a row is set `suspended` (it walked away
   * without changing status); a reply resets the count. An integer ≥ 1; off when omitted.
   */
  suspendAfterMisses?: number | undefined;
  /**
   * Rule 2: a returning customer whose recent contact is present but at cap waits up to this long
   * (ms) for that agent — a `queued` decision with reason `'held'` — and gets the agent as soon as a
   * slot frees, while the router still remembers the contact (one `contactMemory` lets go meanwhile
   * is no longer waited for); at the end of the hold it is routed by rules 3–7. @default 0 (no hold)
   */
  holdForRecentContactMs?: number | undefined;
  /**
   * A consultation with an agent where neither side wrote (`customerMessage` / `agentReply`) for
   * this long (ms) goes on hold when `advance` reaches that time: it stops counting against the
   * agent's cap and pending, freeing its slot; a message from either side resumes it. An
   * assignment, a hand-over included, starts the time again. A number > 0; off when omitted.
   */
  inactiveAfterMs?: number | undefined;
  /**
   * After-chat work: once `end` takes a consultation from its agent, its cost stays taken of the
   * agent's cap this long (ms); `advance` frees it. A number ≥ 0. @default 0
   */
  wrapUpMs?: number | undefined;
  /**
   * Opening hours in the shop's time zone; always open when omitted. Outside them a new (or
   * escalated) consultation is handled as by rule 1 with reason `'closed'` — the robot, the queue
   * or an offline account, as configured — and the queue is not served; at the next opening
   * (`advance` reaches it) the queue is served.
   */
  businessHours?: BusinessHoursSpec | undefined;
}

/** A group's overflow step as the router keeps it. */
export interface ResolvedOverflowStep {
  readonly afterMs: number;
  readonly to: readonly string[] | '*';
}

/** A group as the router keeps it, with its fields resolved. */
export interface ResolvedGroup {
  id: string;
  segments: readonly string[];
  products: readonly string[];
  intents: readonly string[];
  orderStates: readonly string[];
  receptionMode: ReceptionMode | undefined;
  robotRatio: number | undefined;
  overflow: readonly ResolvedOverflowStep[];
}

/** RouterOptions with every default applied and every rule checked. */
export interface ResolvedOptions {
  splitMode: SplitMode;
  busyThreshold: number;
  stickyWindowMs: number;
  stickyToSuspended: boolean;
  receptionMode: ReceptionMode;
  robotRatio: number | undefined;
  robot: boolean;
  noAgent: NoAgentPolicy;
  mainAccountId: string | undefined;
  proxyAccountId: string | undefined;
  groups: readonly ResolvedGroup[];
  orderStates: readonly string[];
  clock: (() => number) | undefined;
  contactMemory: { maxEntries: number };
  answerTimeoutMs: number | undefined;
  suspendAfterMisses: number | undefined;
  holdForRecentContactMs: number;
  inactiveAfterMs: number | undefined;
  wrapUpMs: number;
  /** The option as given (snapshots keep it), and its compiled form. */
  businessHoursSpec: BusinessHoursSpec | undefined;
  businessHours: BusinessHours | undefined;
}

const SPLIT_MODES: readonly SplitMode[] = ['average', 'weighted'];
const RECEPTION_MODES: readonly ReceptionMode[] = ['human-first', 'robot-first', 'mixed'];
const NO_AGENT: readonly NoAgentPolicy[] = ['queue', 'main', 'proxy'];
const KNOWN_KEYS = new Set([
  'splitMode', 'busyThreshold', 'stickyWindowMs', 'stickyToSuspended', 'receptionMode', 'robotRatio', 'robot',
  'noAgent', 'mainAccountId', 'proxyAccountId', 'groups', 'orderStates', 'clock', 'contactMemory',
  'answerTimeoutMs', 'suspendAfterMisses', 'holdForRecentContactMs', 'inactiveAfterMs', 'wrapUpMs', 'businessHours',
]);
const GROUP_KEYS = new Set(['id', 'segments', 'products', 'intents', 'orderStates', 'receptionMode', 'robotRatio', 'overflow']);
const STEP_KEYS = new Set(['afterMs', 'to']);
/** A group's reception scopes besides its order states (接待范围), in matching order. */
const SCOPE_KEYS = ['segments', 'products', 'intents'] as const;

/** A time span option: a finite number of ms, > 0 when `positive`, else ≥ 0. */
function duration(field: string, value: unknown, positive: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw expected('INVALID_OPTION', field, positive ? 'a finite number > 0 (ms)' : 'a finite number >= 0 (ms)', value);
  }
  return value;
}

function oneOf<T extends string>(field: string, allowed: readonly T[], value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw expected('INVALID_OPTION', field, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

function nonNegativeInteger(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw expected('INVALID_OPTION', field, 'an integer >= 0', value);
  }
  return value;
}

function ratio(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw expected('INVALID_OPTION', field, 'a number in [0, 1]', value);
  return value;
}

function boolean(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw expected('INVALID_OPTION', field, 'a boolean', value);
  return value;
}

function optionalId(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw expected('INVALID_OPTION', field, 'a non-empty string', value);
  return value;
}

/** Checks one mode's robot needs: robot modes need a robot, `mixed` needs a ratio. */
function checkMode(field: string, mode: ReceptionMode, robotRatio: number | undefined, robot: boolean): void {
  if (mode !== 'human-first' && !robot) {
    throw new RoutingError('INVALID_OPTION', `Expected \`options.robot\` to be true because \`${field}\` is '${mode}', got false (a shop without a robot cannot send consultations to it)`, 'options.robot');
  }
  if (mode === 'mixed' && robotRatio === undefined) {
    throw new RoutingError('INVALID_OPTION', `Expected \`${field.replace(/receptionMode$/, 'robotRatio')}\` to be a number in [0, 1] because \`${field}\` is 'mixed', got undefined`, field.replace(/receptionMode$/, 'robotRatio'));
  }
}

/** Applies defaults and validates every field and cross-field rule, before anything is built. */
export function resolveOptions(options: RouterOptions | undefined): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw expected('INVALID_OPTION', 'options', 'an object', options);
  }
  for (const key in options) {
    if (!KNOWN_KEYS.has(key)) throw new RoutingError('INVALID_OPTION', `Unknown option \`${key}\`; known options are ${[...KNOWN_KEYS].join(', ')}`, `options.${key}`);
  }
  const o = options as Record<string, unknown>;
  const splitMode = oneOf('options.splitMode', SPLIT_MODES, o.splitMode, 'average');
  const busyThreshold = nonNegativeInteger('options.busyThreshold', o.busyThreshold, 4);
  let stickyWindowMs = 72 * HOUR;
  if (o.stickyWindowMs !== undefined) {
    if (typeof o.stickyWindowMs !== 'number' || Number.isNaN(o.stickyWindowMs) || o.stickyWindowMs < 0) {
      throw expected('INVALID_OPTION', 'options.stickyWindowMs', 'a number >= 0', o.stickyWindowMs);
    }
    stickyWindowMs = o.stickyWindowMs;
  }
  const stickyToSuspended = boolean('options.stickyToSuspended', o.stickyToSuspended, true);
  const receptionMode = oneOf('options.receptionMode', RECEPTION_MODES, o.receptionMode, 'human-first');
  const robotRatio = ratio('options.robotRatio', o.robotRatio);
  const robot = boolean('options.robot', o.robot, false);
  checkMode('options.receptionMode', receptionMode, robotRatio, robot);
  const noAgent = oneOf('options.noAgent', NO_AGENT, o.noAgent, 'queue');
  const mainAccountId = optionalId('options.mainAccountId', o.mainAccountId);
  const proxyAccountId = optionalId('options.proxyAccountId', o.proxyAccountId);
  if (noAgent === 'main' && mainAccountId === undefined) {
    throw expected('INVALID_OPTION', 'options.mainAccountId', "a non-empty string because `options.noAgent` is 'main'", undefined);
  }
  if (noAgent === 'proxy' && proxyAccountId === undefined) {
    throw expected('INVALID_OPTION', 'options.proxyAccountId', "a non-empty string because `options.noAgent` is 'proxy'", undefined);
  }

  let orderStates: readonly string[] = DEFAULT_ORDER_STATES;
  if (o.orderStates !== undefined) {
    if (!Array.isArray(o.orderStates) || o.orderStates.length === 0) throw expected('INVALID_OPTION', 'options.orderStates', 'a non-empty array of strings', o.orderStates);
    const seen = new Set<string>();
    for (const [i, state] of o.orderStates.entries()) {
      if (typeof state !== 'string' || state.length === 0) throw expected('INVALID_OPTION', `options.orderStates[${i}]`, 'a non-empty string', state);
      if (seen.has(state)) throw new RoutingError('INVALID_OPTION', `Expected \`options.orderStates\` to hold each state once, got ${quote(state)} twice`, `options.orderStates[${i}]`);
      seen.add(state);
    }
    orderStates = Object.freeze([...(o.orderStates as string[])]);
  }

  const groups: ResolvedGroup[] = [];
  if (o.groups !== undefined) {
    if (!Array.isArray(o.groups)) throw expected('INVALID_OPTION', 'options.groups', 'an array of groups', o.groups);
    const ids = new Set<string>();
    for (const [i, group] of o.groups.entries()) {
      const at = `options.groups[${i}]`;
      if (typeof group !== 'object' || group === null || Array.isArray(group)) throw expected('INVALID_OPTION', at, 'an object { id, orderStates?, receptionMode?, robotRatio? }', group);
      const g = group as Record<string, unknown>;
      checkKeys(at, g, GROUP_KEYS, 'INVALID_OPTION');
      if (typeof g.id !== 'string' || g.id.length === 0 || g.id.length > MAX_ID_LENGTH) throw expected('INVALID_OPTION', `${at}.id`, `a non-empty string of at most ${MAX_ID_LENGTH} characters`, g.id);
      if (ids.has(g.id)) throw new RoutingError('INVALID_OPTION', `Expected \`${at}.id\` to be unique among options.groups, got ${quote(g.id)}, which an earlier group already uses`, `${at}.id`);
      ids.add(g.id);
      let bound: string[] = [];
      if (g.orderStates !== undefined) {
        if (!Array.isArray(g.orderStates)) throw expected('INVALID_OPTION', `${at}.orderStates`, 'an array of order states', g.orderStates);
        for (const [j, state] of g.orderStates.entries()) {
          if (typeof state !== 'string' || !orderStates.includes(state)) {
            throw new RoutingError('UNKNOWN_ORDER_STATE', `Expected \`${at}.orderStates[${j}]\` to be one of ${orderStates.join(', ')}, got ${quote(state)}`, `${at}.orderStates[${j}]`);
          }
        }
        bound = [...new Set(g.orderStates as string[])];
      }
      const scopes = SCOPE_KEYS.map((key) => scopeValues(`${at}.${key}`, g[key]));
      const bindsAny = bound.length > 0 || scopes.some((values) => values.length > 0);
      const mode = g.receptionMode === undefined ? undefined : oneOf(`${at}.receptionMode`, RECEPTION_MODES, g.receptionMode, 'human-first');
      const groupRatio = ratio(`${at}.robotRatio`, g.robotRatio);
      if (mode !== undefined) checkMode(`${at}.receptionMode`, mode, groupRatio ?? robotRatio, robot);
      // A group's mode applies to the consultations routed to it because it binds them (rule 5): a
      // group that binds nothing would carry a mode that never applies, silently.
      if (mode !== undefined && !bindsAny) {
        throw new RoutingError('INVALID_OPTION', `Expected \`${at}\` to bind a reception scope (segments, products, intents or orderStates) because \`${at}.receptionMode\` is set: a group's reception mode applies only to the consultations it binds (set the shop's \`options.receptionMode\` instead)`, `${at}.receptionMode`);
      }
      const overflow: ResolvedOverflowStep[] = [];
      if (g.overflow !== undefined) {
        if (!Array.isArray(g.overflow)) throw expected('INVALID_OPTION', `${at}.overflow`, 'an array of { afterMs, to }', g.overflow);
        if (g.overflow.length > 0 && !bindsAny) {
          throw new RoutingError('INVALID_OPTION', `Expected \`${at}\` to bind a reception scope (segments, products, intents or orderStates) because \`${at}.overflow\` is set: overflow widens the consultations a group binds`, `${at}.overflow`);
        }
        for (const [j, step] of g.overflow.entries()) {
          const f = `${at}.overflow[${j}]`;
          if (typeof step !== 'object' || step === null || Array.isArray(step)) throw expected('INVALID_OPTION', f, 'an object { afterMs, to }', step);
          const st = step as Record<string, unknown>;
          const afterMs = duration(`${f}.afterMs`, st.afterMs, false);
          if (afterMs === undefined) throw expected('INVALID_OPTION', `${f}.afterMs`, 'a finite number >= 0 (ms)', undefined);
          const previous = overflow[overflow.length - 1];
          if (previous !== undefined && afterMs <= previous.afterMs) throw expected('INVALID_OPTION', `${f}.afterMs`, `greater than the step before (${previous.afterMs}): steps go in ascending afterMs`, afterMs);
          let to: readonly string[] | '*';
          if (st.to === '*') {
            to = '*';
          } else {
            if (!Array.isArray(st.to) || st.to.length === 0) throw expected('INVALID_OPTION', `${f}.to`, "'*' or a non-empty array of group ids", st.to);
            for (const [k, id] of st.to.entries()) {
              if (typeof id !== 'string' || id.length === 0) throw expected('INVALID_OPTION', `${f}.to[${k}]`, 'a group id', id);
            }
            to = Object.freeze([...new Set(st.to as string[])]);
          }
          checkKeys(f, st, STEP_KEYS, 'INVALID_OPTION');
          overflow.push(Object.freeze({ afterMs, to }));
        }
      }
      groups.push(Object.freeze({ id: g.id, segments: scopes[0] as readonly string[], products: scopes[1] as readonly string[], intents: scopes[2] as readonly string[], orderStates: Object.freeze(bound), receptionMode: mode, robotRatio: groupRatio, overflow: Object.freeze(overflow) }));
    }
    // Overflow targets are checked once every group is known: a step may name a later group.
    groups.forEach((g, i) => g.overflow.forEach((step, j) => {
      if (step.to === '*') return;
      step.to.forEach((id, k) => {
        if (!ids.has(id)) {
          throw new RoutingError('UNKNOWN_GROUP', `Expected \`options.groups[${i}].overflow[${j}].to[${k}]\` to be a group declared in options.groups (${[...ids].join(', ')}), got ${quote(id)}`, `options.groups[${i}].overflow[${j}].to[${k}]`);
        }
      });
    }));
  }

  let clock: (() => number) | undefined;
  if (o.clock !== undefined) {
    if (typeof o.clock !== 'function') throw expected('INVALID_OPTION', 'options.clock', 'a function returning milliseconds', o.clock);
    clock = o.clock as () => number;
  }
  let contactMemory = { maxEntries: 1_000_000 };
  if (o.contactMemory !== undefined) {
    const m = o.contactMemory as Record<string, unknown> | null;
    if (typeof m !== 'object' || m === null) throw expected('INVALID_OPTION', 'options.contactMemory', 'an object { maxEntries }', m);
    const maxEntries = m.maxEntries;
    if (typeof maxEntries !== 'number' || !Number.isInteger(maxEntries) || maxEntries < 0) {
      throw expected('INVALID_OPTION', 'options.contactMemory.maxEntries', 'an integer >= 0', maxEntries);
    }
    contactMemory = { maxEntries };
  }

  const answerTimeoutMs = duration('options.answerTimeoutMs', o.answerTimeoutMs, true);
  let suspendAfterMisses: number | undefined;
  if (o.suspendAfterMisses !== undefined) {
    if (typeof o.suspendAfterMisses !== 'number' || !Number.isInteger(o.suspendAfterMisses) || o.suspendAfterMisses < 1) {
      throw expected('INVALID_OPTION', 'options.suspendAfterMisses', 'an integer >= 1', o.suspendAfterMisses);
    }
    suspendAfterMisses = o.suspendAfterMisses;
  }
  const holdForRecentContactMs = duration('options.holdForRecentContactMs', o.holdForRecentContactMs, false) ?? 0;
  const inactiveAfterMs = duration('options.inactiveAfterMs', o.inactiveAfterMs, true);
  const wrapUpMs = duration('options.wrapUpMs', o.wrapUpMs, false) ?? 0;
  const businessHours = o.businessHours === undefined ? undefined : parseBusinessHours(o.businessHours, 'options.businessHours');
  // A copy of what was given, for snapshots: the caller's object may change after.
  const businessHoursSpec = businessHours === undefined ? undefined : JSON.parse(JSON.stringify(o.businessHours)) as BusinessHoursSpec;

  return {
    splitMode, busyThreshold, stickyWindowMs, stickyToSuspended, receptionMode, robotRatio, robot, noAgent,
    mainAccountId, proxyAccountId, groups: Object.freeze(groups), orderStates, clock, contactMemory,
    answerTimeoutMs, suspendAfterMisses, holdForRecentContactMs, inactiveAfterMs, wrapUpMs, businessHoursSpec, businessHours,
  };
}

/** A group's scope of one dimension: an array of non-empty strings (any values: products may run to thousands); duplicates dropped. */
function scopeValues(field: string, value: unknown): readonly string[] {
  if (value === undefined) return Object.freeze([]);
  if (!Array.isArray(value)) throw expected('INVALID_OPTION', field, 'an array of non-empty strings', value);
  for (const [i, v] of value.entries()) {
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_ID_LENGTH) throw expected('INVALID_OPTION', `${field}[${i}]`, `a non-empty string of at most ${MAX_ID_LENGTH} characters`, v);
  }
  return Object.freeze([...new Set(value as string[])]);
}
