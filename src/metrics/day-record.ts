// The state the metrics keep per customer in flight: the customer-day records every "人数" counts,
// and the open conversation whose waits and reception time are being measured.

/** One customer's (or one agent's share of one customer's) conversation figures within a day record. */
export interface Part {
  replied: boolean;
  slow: boolean;
  /** The wait ended by the first human reply; -1 while none has. */
  firstResponseMs: number;
  responseSumMs: number;
  responses: number;
  durationMs: number;
  agentMessages: number;
  customerMessages: number;
  salesAmount: number;
  unitsSold: number;
  bought: boolean;
}

export function newPart(): Part {
  return {
    replied: false, slow: false, firstResponseMs: -1, responseSumMs: 0, responses: 0, durationMs: 0,
    agentMessages: 0, customerMessages: 0, salesAmount: 0, unitsSold: 0, bought: false,
  };
}

/**
 * A customer on one calendar day of consultation: the unit every "人数" counts. It lives until its
 * final-payment window closes and its conversation has ended — that is what "in flight" means here.
 */
export interface DayRecord {
  readonly customerId: string;
  readonly day: number;
  /** Whether its first consultation fell in `[from, to)`: only such records count as customers. */
  readonly inRange: boolean;
  /** Every consultation of the day was filtered. */
  filtered: boolean;
  inquiry: boolean;
  paidNextDay: boolean;
  paidFinal: boolean;
  /** Start of day + 2: orders and payments before it are "same or next day". */
  readonly nextDayEnd: number;
  /** Start of day + 5: payments before it are final payments and sales through service. */
  readonly finalEnd: number;
  readonly shop: Part;
  /** Agents who served this customer (held or answered the conversation), with their share. */
  readonly agents: Map<string, Part>;
  /** The agent credited with sales: the last human to hold the conversation (or, failing that, to answer it). */
  lastAgent: string | undefined;
  /** Groups whose conversations this customer had that day (by their first human assignment), with their share. */
  readonly groups: Map<string, Part>;
  /** The group credited with sales: that of the day's last conversation that belongs to a group. */
  lastGroup: string | undefined;
  /** Its conversation is open: it cannot be retired yet. */
  open: boolean;
  /** Its final-payment window has closed while the conversation was open: retire at `end`. */
  expired: boolean;
}

export interface Conversation {
  readonly record: DayRecord;
  /** The human agent holding it; `undefined` while with the robot or unassigned. */
  holder: string | undefined;
  /** When the customer's first message not yet answered by a human was sent; NaN when none waits. */
  waitStart: number;
  /** The last customer message or human reply; NaN before the first. */
  lastMessageAt: number;
  /** Reception time since the last human reply, credited to whoever replies next. */
  pendingDurationMs: number;
  /**
   * Whether the conversation's group is settled: by its first human assignment (or transfer), or
   * by a human reply that came before any (then it belongs to no group).
   */
  attributed: boolean;
  /** Once attributed: the group it belongs to, or `undefined` for none. */
  group: string | undefined;
  /** Customer messages before it was attributed: they go to its group, if it gets one. */
  earlyMessages: number;
}

export interface CustomerState {
  conversation: Conversation | undefined;
  /** Live day records, oldest first. */
  records: DayRecord[];
}
