/** An agent's presence. `suspended` (挂起): online, but taking no new customers — only its own recent contacts. */
export type AgentStatus = 'online' | 'suspended' | 'offline';

/** How new consultations are shared among non-busy agents: 平均分流 (`average`) or 权重分流 (`weighted`). */
export type SplitMode = 'average' | 'weighted';

/** 人工优先 (`human-first`), 机器人优先 (`robot-first`) or 混合模式 (`mixed`: a share goes robot-first). */
export type ReceptionMode = 'human-first' | 'robot-first' | 'mixed';

/** Where a consultation goes when no human can take it and the shop has no robot. */
export type NoAgentPolicy = 'queue' | 'main' | 'proxy';

/**
 * A group of agents (分组) and its reception scope (接待范围): the buyer segments, products, intents
 * and order states it binds. A consultation is matched dimension by dimension, in the order
 * segment → product → intent → order state: at each, the remaining groups that bind its value, if
 * any, are the only ones that remain. It is routed among the agents of the groups that remain, or
 * among every agent when no dimension narrowed them (see `docs/routing.md`, rule 5).
 */
export interface GroupSpec {
  /** The group's id; agents name it in `AgentSpec.groups`. */
  id: string;
  /** Buyer segments (人群: a member tier, a region, a buyer tag) this group takes. Any non-empty strings. @default [] */
  segments?: string[] | undefined;
  /** Products (商品: item ids or categories) this group takes. Any non-empty strings; thousands are fine. @default [] */
  products?: string[] | undefined;
  /** Intents (意图: what the shop's robot classified) this group takes. Any non-empty strings. @default [] */
  intents?: string[] | undefined;
  /**
   * The order states bound to this group (分组绑定), among `RouterOptions.orderStates`.
   * @default []
   */
  orderStates?: string[] | undefined;
  /** Overrides the shop's reception mode for consultations routed to this group. */
  receptionMode?: ReceptionMode | undefined;
  /** The robot's share for this group's `mixed` mode, in [0, 1]. */
  robotRatio?: number | undefined;
  /**
   * Overflow (溢出 / 转组): a consultation bound to this group that no agent of its bound groups can
   * take widens, once it has waited `afterMs` since it arrived, to the agents of the groups in `to`
   * (`'*'`: every agent of the shop). Steps in ascending `afterMs`; `afterMs: 0` is an immediate
   * fallback. A consultation bound to several groups widens by the union of their steps.
   *
   * @example
   * ```ts
   * { id: 'pre-sales', orderStates: ['none', 'unpaid'], overflow: [{ afterMs: 60_000, to: ['after-sales'] }, { afterMs: 180_000, to: '*' }] }
   * ```
   */
  overflow?: OverflowStep[] | undefined;
}

/** One step of a group's {@link GroupSpec.overflow}. */
export interface OverflowStep {
  /** How long the consultation has waited since it arrived (ms), a finite number ≥ 0. */
  afterMs: number;
  /** The groups whose agents it widens to, or `'*'` for every agent. */
  to: readonly string[] | '*';
}

/** An agent as `upsertAgent` takes it. Omitted fields keep their current value (or the default for a new agent). */
export interface AgentSpec {
  /** Any non-empty string; `"__proto__"` is as good as any other id. */
  id: string;
  /** 在线 / 挂起 / 离线: only `online` agents take new consultations. @default 'offline' */
  status?: AgentStatus | undefined;
  /** Relative share in `weighted` mode; a number in [1e-6, 1e6]. @default 1 */
  weight?: number | undefined;
  /** Ids of groups declared in `RouterOptions.groups`. @default [] */
  groups?: string[] | undefined;
  /** 接待上限: the most cost units served at once (one per consultation by default, see `Consultation.cost`); an integer ≥ 0 or `Infinity`. @default Infinity */
  cap?: number | undefined;
  /** 待回复人数: customers awaiting this agent's reply; an integer ≥ 0. @default 0 */
  pending?: number | undefined;
}

/** A read-only copy of an agent's state. Changing it changes nothing in the router. */
export interface AgentView {
  /** The agent's id, as `upsertAgent` gave it. */
  id: string;
  /** Online, suspended or offline (see {@link AgentSpec.status}). */
  status: AgentStatus;
  /** Its share in `weighted` mode. */
  weight: number;
  /** The groups it belongs to, in the order given. */
  groups: string[];
  /** 接待上限: the most cost units it serves at once (`Infinity` for no cap). */
  cap: number;
  /** Open consultations assigned to this agent now, on hold or not. */
  active: number;
  /**
   * The cost units of `cap` taken now: the cost of each consultation not on hold, and of each
   * wrap-up not over (`wrapUpMs`). The agent takes a consultation while `load + cost ≤ cap`.
   */
  load: number;
  /** 待回复人数: customers awaiting its reply now, counted by the router (see `customerMessage`). */
  pending: number;
  /** `pending > busyThreshold`. */
  busy: boolean;
  /** Consultations assigned to this agent so far, in total. */
  assigned: number;
}

/** A customer's earlier contact with an agent, as a caller may know it from its own history. */
export interface RecentContact {
  /** The agent who served the customer. */
  agentId: string;
  /** When that agent served the customer (ms). */
  at: number;
}

/** A consultation (咨询) to route. */
export interface Consultation {
  /** Any non-empty string. One open consultation per customer at a time. */
  customerId: string;
  /** One of `RouterOptions.orderStates`. @default 'none' */
  orderState?: string | undefined;
  /** The buyer's segment (人群), matched against {@link GroupSpec.segments}. Any non-empty string. */
  segment?: string | undefined;
  /** The product asked about (商品), matched against {@link GroupSpec.products}. Any non-empty string. */
  product?: string | undefined;
  /** The customer's intent (意图), matched against {@link GroupSpec.intents}; `escalate` may set it. Any non-empty string. */
  intent?: string | undefined;
  /** Arrival time (ms). @default options.clock(); required without a clock */
  at?: number | undefined;
  /** Higher is served first from the waiting queue. A finite number. @default 0 */
  priority?: number | undefined;
  /** 专属客服: wins when eligible (online, not suspended, with room for it). */
  dedicatedAgentId?: string | undefined;
  /**
   * The units of an agent's `cap` it takes while with the agent (a video call may cost more than a
   * text chat): an agent takes it while `load + cost ≤ cap`. A number in [1e-6, 1e6]. @default 1
   */
  cost?: number | undefined;
  /** Contacts the caller knows besides the router's own memory. Unknown agent ids are ignored. */
  recentContacts?: RecentContact[] | undefined;
}

/** The second argument of `Router.escalate` (a number there is `at`). */
export interface EscalateOptions {
  /** The intent the robot classified: the consultation is matched again with it (see {@link GroupSpec}). */
  intent?: string | undefined;
  /** The time of the call (ms). @default options.clock(); required without a clock */
  at?: number | undefined;
}

/** Why a caller re-routes a consultation (rule 9): `declined` (拒接), `timeout` (超时), `transfer` (转接). */
export type RerouteReason = 'declined' | 'timeout' | 'transfer';

/**
 * Why a consultation was re-routed, as its decision says: a caller's {@link RerouteReason}, an
 * answer timeout that `advance` fired (`timeout`), or its agent going `offline` or being `removed`.
 */
export type RerouteCause = RerouteReason | 'offline' | 'removed';

/** The second argument of `Router.reroute`. */
export interface RerouteRequest {
  /**
   * Why it is taken back: `declined` — the agent refused it; `timeout` — the agent did not reply in
   * time (counts towards `suspendAfterMisses`); `transfer` — a supervisor or the agent hands it on,
   * to `toAgentId` if given, else by the rules.
   */
  reason: RerouteReason;
  /** With `reason: 'transfer'`: the agent to transfer to. It must be able to take it now. */
  toAgentId?: string | undefined;
  /** The time of the call (ms). @default options.clock(); required without a clock */
  at?: number | undefined;
}

/** The fields every {@link Decision} carries. */
export interface DecisionBase {
  /** The customer the decision is for. */
  customerId: string;
  /** The time of the call that made the decision (ms). */
  at: number;
  /** Set when this consultation was taken back from an agent (rule 9): that agent's id. */
  reroutedFrom?: string;
  /** With `reroutedFrom`: why it was taken back. */
  rerouteReason?: RerouteCause;
  /** Set when the decision serves a consultation that was waiting in the queue: how long it waited there (ms). */
  waitedMs?: number;
}

/** The consultation goes to a human agent. */
export interface AgentDecision extends DecisionBase {
  kind: 'agent';
  /** The agent who takes it. */
  agentId: string;
  /** The bound group through which the agent was chosen, when the order state is bound. */
  groupId?: string;
  /**
   * - `recent-contact` — the customer's most recent eligible contact (rule 2)
   * - `dedicated` — the consultation's dedicated agent (rule 3)
   * - `split` — the fair share among non-busy agents of the candidate pool (rules 5, 6)
   * - `busy-fallback` — every eligible agent was busy; the one with the lowest `pending` (rule 6)
   * - `overflow` — no agent of the bound groups could take it, and it had waited long enough to
   *   widen to another group's agents ({@link GroupSpec.overflow}); `groupId` names the group reached
   * - `transfer` — an explicit transfer target (rule 9)
   *
   * A consultation served from the waiting queue keeps the rule that placed it and carries `waitedMs`.
   */
  reason: 'recent-contact' | 'dedicated' | 'split' | 'busy-fallback' | 'overflow' | 'transfer';
}

/** The consultation goes to the shop's robot. */
export interface RobotDecision extends DecisionBase {
  kind: 'robot';
  /** `robot-first` and `mixed`: the reception mode (rule 4); `no-human`: nobody could take it (rules 1, 7); `closed`: outside `businessHours`. */
  reason: 'robot-first' | 'mixed' | 'no-human' | 'closed';
}

/** The consultation waits in the queue until capacity frees (rule 8). */
export interface QueuedDecision extends DecisionBase {
  kind: 'queued';
  /** 1-based position in service order at the time of the decision. */
  position: number;
  /**
   * `no-human`: nobody can take it now (rules 1, 7); `held`: a returning customer waits for their
   * recent contact, who is at cap (rule 2 with `holdForRecentContactMs`); `closed`: outside
   * `businessHours`, it waits for the opening.
   */
  reason: 'no-human' | 'held' | 'closed';
  /** With `held`: the agent it waits for. */
  heldFor?: string;
}

/** The consultation becomes an offline message (离线消息) to the main or proxy account. */
export interface OfflineDecision extends DecisionBase {
  kind: 'offline';
  /** The account the offline message goes to: `mainAccountId` or `proxyAccountId`. */
  accountId: string;
  /** `nobody-online`: no human was online or suspended (rule 1); `no-human`: none could take it (rule 7); `closed`: outside `businessHours`. */
  reason: 'no-human' | 'nobody-online' | 'closed';
}

/** What the router decided for one consultation, and the rule that decided it. Narrow on `kind`. */
export type Decision = AgentDecision | RobotDecision | QueuedDecision | OfflineDecision;

/** A consultation in the waiting queue, as `Router.queue()` lists it. */
export interface QueuedView {
  /** The waiting customer. */
  customerId: string;
  /** 1-based, in service order. */
  position: number;
  /** The consultation's `priority`: higher is served first. */
  priority: number;
  /** The original arrival time; kept across re-routing. */
  since: number;
  /**
   * Estimated wait from now (ms): the consultation's position among those waiting for the same
   * agents, times the mean interval between the last 16 services from that line (measured up to
   * now). Absent until that line has been served and time has passed since. See docs/routing.md, rule 8.
   */
  estimatedWaitMs?: number;
}

/** Where an open consultation is, as `Router.consultation` tells it. */
export interface ConsultationView {
  /** The customer whose consultation it is. */
  customerId: string;
  /** Where it is: with an agent, the robot, in the queue, or left as an offline message. */
  kind: 'agent' | 'robot' | 'queued' | 'offline';
  /** With `agent`: its agent. */
  agentId?: string;
  /** With `offline`: the account holding the offline message. */
  accountId?: string;
  /** Arrival time (ms), kept across re-routing. */
  since: number;
  /** Its order state (`'none'` when the consultation gave none). */
  orderState: string;
  /** Its buyer segment (人群), as routed. */
  segment?: string;
  /** Its product (商品), as routed. */
  product?: string;
  /** Its intent (意图), as routed or as `escalate` last set it. */
  intent?: string;
  /** The groups its reception scope matched (rule 5), in option order; absent when none narrowed it: every agent. */
  groups?: string[];
  /** The consultation's `priority`. */
  priority: number;
  /** With `agent`: since when the customer has awaited the agent's reply (counted in the agent's `pending` unless on hold). */
  awaitingReplySince?: number;
  /** Its `cost`, when not 1. */
  cost?: number;
  /** With `agent`: on hold (`hold`, or `inactiveAfterMs`): it counts in neither the agent's load nor its pending. */
  onHold?: true;
  /** With `queued`: the 1-based position in service order. */
  position?: number;
  /** With `queued`: as {@link QueuedView.estimatedWaitMs}. */
  estimatedWaitMs?: number;
  /** With `queued` and held for a recent contact: that agent. */
  heldFor?: string;
  /** When the consultation's next deadline fires (answer timeout, overflow step, end of a hold, going on hold when quiet), if it has one. */
  deadline?: number;
}
