/**
 * The conversation events that reception metrics (接待分析) are computed from. A backend logs them
 * as they happen (or derives the routing ones from router decisions with `toEvents`) and hands the
 * log, in time order, to `computeMetrics`.
 *
 * @module
 */

/** What every event carries. */
export interface EventBase {
  /** When it happened (ms since the epoch). A log is in non-decreasing `at` order. */
  at: number;
  /** The customer (买家) the event is about. Any non-empty string; `"__proto__"` is fine. */
  customerId: string;
}

/** A customer opened a chat with the shop (咨询). Opens a conversation, or continues the open one. */
export interface ConsultationEvent extends EventBase {
  type: 'consultation';
  /**
   * 接待过滤: spam, auto-reply only, and the like. Such a customer counts in `consultations` and
   * `filtered` and nowhere else — unless another consultation of the same day is not filtered.
   * @default false
   */
  filtered?: boolean | undefined;
}

/** The conversation was given to a human agent. Later customer messages are that agent's to answer. */
export interface AssignedToAgentEvent extends EventBase {
  type: 'assigned';
  /** The human agent (客服) who now holds the conversation. */
  agentId: string;
  robot?: false | undefined;
  /**
   * The group (分组) through which the agent was chosen (`AgentDecision.groupId`; `toEvents`
   * copies it). A conversation belongs to the group of its first human assignment: the report's
   * `groups` count it there. Any non-empty string.
   */
  groupId?: string | undefined;
}

/** The conversation was given to the shop's robot (店小蜜). Robot replies never count as answers. */
export interface AssignedToRobotEvent extends EventBase {
  type: 'assigned';
  robot: true;
  agentId?: undefined;
  groupId?: undefined;
}

/** The conversation was given to a human agent or to the robot. */
export type AssignedEvent = AssignedToAgentEvent | AssignedToRobotEvent;

/** The customer sent a message (买家消息). */
export interface CustomerMessageEvent extends EventBase {
  type: 'customer-message';
  /** The backend's message id, for the caller's own bookkeeping; metrics do not read it. */
  messageId?: string | undefined;
}

/** A human agent sent a message (客服消息) — the only kind of reply that answers a customer. */
export interface AgentReplyEvent extends EventBase {
  type: 'agent-reply';
  /** The agent who wrote it. Writing to a customer makes the agent one who served that customer. */
  agentId: string;
  /** The backend's message id, for the caller's own bookkeeping; metrics do not read it. */
  messageId?: string | undefined;
}

/** An automatic reply (自动回复). Logged for completeness; it answers nobody. */
export interface AutoReplyEvent extends EventBase {
  type: 'auto-reply';
  /** The agent account on whose behalf it was sent, if any. */
  agentId?: string | undefined;
}

/** A robot reply (机器人回复). Logged for completeness; it answers nobody. */
export interface RobotReplyEvent extends EventBase {
  type: 'robot-reply';
}

/** The conversation moved from one agent to another (转接). Later replies are credited to `toAgentId`. */
export interface TransferEvent extends EventBase {
  type: 'transfer';
  /** The agent it was taken from. Informational: the conversation's holder is replaced whoever it was. */
  fromAgentId: string;
  /** The agent who now holds the conversation. */
  toAgentId: string;
}

/** The conversation ended (结束). A later `consultation` opens a new one. */
export interface EndEvent extends EventBase {
  type: 'end';
}

/** The customer placed an order (下单). Makes the customer an inquiry (询单) of their recent consultations. */
export interface OrderPlacedEvent extends EventBase {
  type: 'order-placed';
  /** The shop's id of the order: its payment names it again. */
  orderId: string;
}

/** The customer paid an order (付款). Counts as sales through service when it follows a consultation. */
export interface OrderPaidEvent extends EventBase {
  type: 'order-paid';
  /** The shop's id of the order paid. */
  orderId: string;
  /** The amount paid (销售额), a finite number ≥ 0, in the shop's currency unit (e.g. yuan or fen). */
  amount: number;
  /** Items paid for (销售量), an integer ≥ 0. */
  units: number;
}

/** One entry of a conversation log. Narrow on `type`. */
export type ConversationEvent =
  | ConsultationEvent
  | AssignedEvent
  | CustomerMessageEvent
  | AgentReplyEvent
  | AutoReplyEvent
  | RobotReplyEvent
  | TransferEvent
  | EndEvent
  | OrderPlacedEvent
  | OrderPaidEvent;

/** The `type` of a {@link ConversationEvent}. */
export type ConversationEventType = ConversationEvent['type'];
