import { expected } from '../errors.js';
import type { RoutingError } from '../errors.js';
import type { ConversationEvent, ConversationEventType } from './events.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Days after the consultation day at whose end inquiries and next-day payments are settled (须延迟1天统计). */
const NEXT_DAY_DELAY_DAYS = 1;
/** Days after the consultation day at whose end final payments are settled (须延迟4天统计). */
const FINAL_DELAY_DAYS = 4;

/** The response-rate ladder merchants read: 1, 2, 5, 10, 15, 20, 30, 40, 50 and 60 minutes, in ms. */
export const DEFAULT_RESPONSE_LADDER_MS: readonly number[] = Object.freeze(
  [1, 2, 5, 10, 15, 20, 30, 40, 50, 60].map((minutes) => minutes * MINUTE),
);

/** What `computeMetrics` reads besides the log. Every field is optional. */
export interface MetricsOptions {
  /**
   * Start of the time range (inclusive, ms). A customer is counted when their day's first
   * consultation falls in `[from, to)`; sales count payments made in `[from, to)`.
   * @default -Infinity
   */
  from?: number;
  /**
   * End of the time range (exclusive, ms).
   * @default Infinity
   */
  to?: number;
  /**
   * 慢响应: a customer is a slow response when any of their waits for a human reply lasted longer
   * than this — including a wait still unanswered when the conversation ended or at `asOf`.
   * @default 60000 (1 minute)
   */
  slowResponseMs?: number;
  /**
   * 最长等待时间: gaps between messages longer than this are cut out of reception duration.
   * @default 900000 (15 minutes)
   */
  maxWaitMs?: number;
  /**
   * The thresholds of the response-rate ladder (响应率), strictly increasing, in ms.
   * @default DEFAULT_RESPONSE_LADDER_MS (1, 2, 5, 10, 15, 20, 30, 40, 50, 60 minutes)
   */
  responseLadderMs?: readonly number[];
  /**
   * The time the log is complete up to: it decides which delayed figures are final and how long
   * a still-open wait has lasted. No event may be later.
   * @default the time of the log's last event
   */
  asOf?: number;
  /**
   * The shop's offset from UTC: "same or next day" and the settling delays use its calendar days.
   * @default 28800000 (UTC+8, China Standard Time)
   */
  timeZoneOffsetMs?: number;
}

/** A figure that is settled only some time after the range (须延迟统计): its value so far, and whether it can still change. */
export interface Delayed<T> {
  /** The figure as of `asOf`. */
  value: T;
  /** `true` once no later event can change `value` (`asOf` is past the settling delay of every customer counted). */
  final: boolean;
}

/** One threshold of the response-rate ladder. */
export interface LadderStep {
  /** The threshold (ms): answered within it means a first human reply after a wait of at most `withinMs`. */
  withinMs: number;
  /** Receptions first answered by a human within `withinMs` / receptions; `null` with no receptions. */
  rate: number | null;
}

/**
 * The figures of a Qianniu reception dashboard (接待分析), for the shop or for one agent. Counts of
 * customers count a customer once per calendar day of consultation. A ratio whose denominator is
 * zero is `null`. See docs/metrics.md for each formula.
 */
export interface Figures {
  /** 咨询人数 = `receptions + filtered`. */
  consultations: number;
  /** 接待人数: customers served, filtered ones excluded. */
  receptions: number;
  /** 接待过滤人数: customers whose every consultation of the day was marked `filtered`. */
  filtered: number;
  /** 询单人数: receptions who placed an order after consulting, by the end of the next day. Settles 1 day late. */
  inquiries: Delayed<number>;
  /** 销售额: amount paid in the range by customers within 4 days of consulting (through service). */
  salesAmount: number;
  /** 销售量: units paid for, counted like `salesAmount`. */
  unitsSold: number;
  /** 销售人数: customers with a payment counted in `salesAmount`. */
  buyers: number;
  /** 客单价 = `salesAmount / buyers`. */
  valuePerBuyer: number | null;
  /** 客件数 = `unitsSold / buyers`. */
  unitsPerBuyer: number | null;
  /** 询单→次日付款成功率 = inquiries who paid the same or next day / inquiries. Settles 1 day late. */
  inquiryToNextDayPaymentRate: Delayed<number | null>;
  /** 询单→最终付款成功率 = inquiries who paid by the 4th day after / inquiries. Settles 4 days late. */
  inquiryToFinalPaymentRate: Delayed<number | null>;
  /** 答问比 = `agentMessages / customerMessages` (human replies only). */
  answerQuestionRatio: number | null;
  /** 回复率 = `repliedCustomers / receptions` = (receptions − unreplied) / receptions. */
  replyRate: number | null;
  /** 慢响应人数: receptions with a wait longer than `slowResponseMs`. */
  slowResponses: number;
  /** 首次响应时间: mean wait ended by a customer's first human reply, over receptions answered. */
  firstResponseTimeMs: number | null;
  /** 平均响应时间: mean wait over every human reply that ended a wait. */
  avgResponseTimeMs: number | null;
  /** 平均接待时长 = reception time (gaps over `maxWaitMs` cut out) / `repliedCustomers`. */
  avgReceptionDurationMs: number | null;
  /** 响应率 at each ladder threshold; never decreases along the ladder. */
  responseLadder: LadderStep[];
  /** 客服消息数: human replies (auto-replies and robot replies excluded). */
  agentMessages: number;
  /** 买家消息数: customer messages (for an agent: those sent while the agent held the conversation). */
  customerMessages: number;
  /** 回复过的客户数: receptions who got at least one human reply. */
  repliedCustomers: number;
}

/** What `computeMetrics` returns. */
export interface MetricsReport {
  /** The whole shop: every customer once, whoever served them (robot-only and unassigned ones too). */
  shop: Figures;
  /** Per human agent, keyed by agent id in ascending order: the customers each agent served. */
  agents: Map<string, Figures>;
  /** The `asOf` the figures were computed at (`-Infinity` for an empty log without `options.asOf`). */
  asOf: number;
}

interface ResolvedMetricsOptions {
  from: number;
  to: number;
  slowResponseMs: number;
  maxWaitMs: number;
  responseLadderMs: readonly number[];
  asOf: number | undefined;
  timeZoneOffsetMs: number;
}

const OPTION_KEYS = new Set(['from', 'to', 'slowResponseMs', 'maxWaitMs', 'responseLadderMs', 'asOf', 'timeZoneOffsetMs']);

function resolveOptions(options: MetricsOptions): ResolvedMetricsOptions {
  if (typeof options !== 'object' || options === null) throw expected('INVALID_OPTION', 'options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw expected('INVALID_OPTION', `options.${key}`, 'a known option (no such option)', (options as Record<string, unknown>)[key]);
  }
  const number = (field: keyof MetricsOptions, fallback: number, what: string, ok: (v: number) => boolean): number => {
    const value: unknown = options[field];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !ok(value)) throw expected('INVALID_OPTION', `options.${field}`, what, value);
    return value;
  };
  const from = number('from', -Infinity, 'a number (ms) or -Infinity', (v) => !Number.isNaN(v) && v !== Infinity);
  const to = number('to', Infinity, `a number (ms) >= options.from (${from})`, (v) => !Number.isNaN(v) && v >= from && v !== -Infinity);
  const slowResponseMs = number('slowResponseMs', MINUTE, 'a finite number >= 0', (v) => Number.isFinite(v) && v >= 0);
  const maxWaitMs = number('maxWaitMs', 15 * MINUTE, 'a number >= 0 (Infinity cuts nothing)', (v) => !Number.isNaN(v) && v >= 0);
  const asOf = options.asOf === undefined ? undefined : number('asOf', 0, 'a finite number (ms)', Number.isFinite);
  const timeZoneOffsetMs = number('timeZoneOffsetMs', 8 * HOUR, 'a finite number (ms)', Number.isFinite);

  let responseLadderMs = DEFAULT_RESPONSE_LADDER_MS;
  const ladder: unknown = options.responseLadderMs;
  if (ladder !== undefined) {
    if (!Array.isArray(ladder)) throw expected('INVALID_OPTION', 'options.responseLadderMs', 'an array of numbers', ladder);
    ladder.forEach((value: unknown, i) => {
      const previous: unknown = ladder[i - 1];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (typeof previous === 'number' && value <= previous)) {
        throw expected('INVALID_OPTION', `options.responseLadderMs[${i}]`, 'a finite number >= 0, greater than the one before', value);
      }
    });
    responseLadderMs = Object.freeze([...(ladder as number[])]);
  }
  return { from, to, slowResponseMs, maxWaitMs, responseLadderMs, asOf, timeZoneOffsetMs };
}

const EVENT_TYPES: ReadonlySet<string> = new Set<ConversationEventType>([
  'consultation', 'assigned', 'customer-message', 'agent-reply', 'auto-reply', 'robot-reply',
  'transfer', 'end', 'order-placed', 'order-paid',
]);

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Checks one event's shape before anything reads it, so a malformed event is reported by index
 * and field and nothing after it is counted.
 */
function validateEvent(raw: unknown, index: number, previousAt: number, asOf: number | undefined): ConversationEvent {
  const at = `events[${index}]`;
  if (typeof raw !== 'object' || raw === null) throw expected('INVALID_EVENT', at, 'an object', raw);
  const event = raw as Record<string, unknown>;
  const type = event['type'];
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
    throw expected('INVALID_EVENT', `${at}.type`, `one of ${[...EVENT_TYPES].map((t) => `'${t}'`).join(', ')}`, type);
  }
  const time = event['at'];
  if (typeof time !== 'number' || !Number.isFinite(time)) throw expected('INVALID_EVENT', `${at}.at`, 'a finite number', time);
  // Rejecting rather than sorting keeps one pass and O(in-flight) memory, and surfaces a broken
  // log instead of silently reordering replies before the messages they answer.
  if (time < previousAt) {
    throw expected('INVALID_EVENT', `${at}.at`, `at least ${previousAt} (the time of events[${index - 1}]): events must be in time order`, time);
  }
  if (asOf !== undefined && time > asOf) throw expected('INVALID_EVENT', `${at}.at`, `at most ${asOf} (options.asOf)`, time);
  if (!isId(event['customerId'])) throw expected('INVALID_EVENT', `${at}.customerId`, 'a non-empty string', event['customerId']);
  const id = (field: string): void => {
    if (!isId(event[field])) throw expected('INVALID_EVENT', `${at}.${field}`, 'a non-empty string', event[field]);
  };
  switch (type as ConversationEventType) {
    case 'consultation':
      if (event['filtered'] !== undefined && typeof event['filtered'] !== 'boolean') {
        throw expected('INVALID_EVENT', `${at}.filtered`, 'a boolean or undefined', event['filtered']);
      }
      break;
    case 'assigned':
      if (event['robot'] === true) {
        if (event['agentId'] !== undefined) throw expected('INVALID_EVENT', `${at}.agentId`, 'undefined with `robot: true`', event['agentId']);
      } else {
        if (event['robot'] !== undefined && event['robot'] !== false) throw expected('INVALID_EVENT', `${at}.robot`, 'a boolean or undefined', event['robot']);
        if (!isId(event['agentId'])) throw expected('INVALID_EVENT', `${at}.agentId`, 'a non-empty string (or `robot: true`)', event['agentId']);
      }
      break;
    case 'agent-reply':
      id('agentId');
      break;
    case 'auto-reply':
      if (event['agentId'] !== undefined) id('agentId');
      break;
    case 'transfer':
      id('fromAgentId');
      id('toAgentId');
      break;
    case 'order-placed':
      id('orderId');
      break;
    case 'order-paid': {
      id('orderId');
      const amount = event['amount'];
      if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) throw expected('INVALID_EVENT', `${at}.amount`, 'a finite number >= 0', amount);
      const units = event['units'];
      if (typeof units !== 'number' || !Number.isSafeInteger(units) || units < 0) throw expected('INVALID_EVENT', `${at}.units`, 'an integer >= 0', units);
      break;
    }
    case 'customer-message':
    case 'robot-reply':
    case 'end':
      break;
  }
  return raw as ConversationEvent;
}

/** One customer's (or one agent's share of one customer's) conversation figures within a day record. */
interface Part {
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

function newPart(): Part {
  return {
    replied: false, slow: false, firstResponseMs: -1, responseSumMs: 0, responses: 0, durationMs: 0,
    agentMessages: 0, customerMessages: 0, salesAmount: 0, unitsSold: 0, bought: false,
  };
}

/**
 * A customer on one calendar day of consultation: the unit every "人数" counts. It lives until its
 * final-payment window closes and its conversation has ended — that is what "in flight" means here.
 */
interface DayRecord {
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
  /** Its conversation is open: it cannot be retired yet. */
  open: boolean;
  /** Its final-payment window has closed while the conversation was open: retire at `end`. */
  expired: boolean;
}

interface Conversation {
  readonly record: DayRecord;
  /** The human agent holding it; `undefined` while with the robot or unassigned. */
  holder: string | undefined;
  /** When the customer's first message not yet answered by a human was sent; NaN when none waits. */
  waitStart: number;
  /** The last customer message or human reply; NaN before the first. */
  lastMessageAt: number;
  /** Reception time since the last human reply, credited to whoever replies next. */
  pendingDurationMs: number;
}

interface CustomerState {
  conversation: Conversation | undefined;
  /** Live day records, oldest first. */
  records: DayRecord[];
}

/** Running sums for one scope (the shop or one agent); turned into {@link Figures} at the end. */
class Tally {
  consultations = 0;
  receptions = 0;
  filtered = 0;
  inquiries = 0;
  nextDayPayers = 0;
  finalPayers = 0;
  salesAmount = 0;
  unitsSold = 0;
  buyers = 0;
  agentMessages = 0;
  customerMessages = 0;
  replied = 0;
  slow = 0;
  firstResponseSumMs = 0;
  firstResponses = 0;
  responseSumMs = 0;
  responses = 0;
  durationMs = 0;
  /** The latest consultation day among receptions: its settling delay decides finality. */
  lastDay = -Infinity;
  readonly ladder: number[];

  constructor(steps: number) {
    this.ladder = new Array<number>(steps).fill(0);
  }

  add(record: DayRecord, part: Part, thresholds: readonly number[]): void {
    // Sales are counted by payment time, not by consultation day, so they fold in even for a
    // record whose consultation lies before the range.
    if (!record.filtered && part.bought) {
      this.salesAmount += part.salesAmount;
      this.unitsSold += part.unitsSold;
      this.buyers++;
    }
    if (!record.inRange) return;
    this.consultations++;
    if (record.filtered) {
      this.filtered++;
      return;
    }
    this.receptions++;
    if (record.day > this.lastDay) this.lastDay = record.day;
    if (record.inquiry) {
      this.inquiries++;
      if (record.paidNextDay) this.nextDayPayers++;
      if (record.paidFinal) this.finalPayers++;
    }
    this.agentMessages += part.agentMessages;
    this.customerMessages += part.customerMessages;
    if (part.replied) this.replied++;
    if (part.slow) this.slow++;
    if (part.firstResponseMs >= 0) {
      this.firstResponseSumMs += part.firstResponseMs;
      this.firstResponses++;
      for (let i = 0; i < thresholds.length; i++) {
        if (part.firstResponseMs <= (thresholds[i] as number)) this.ladder[i] = (this.ladder[i] as number) + 1;
      }
    }
    this.responseSumMs += part.responseSumMs;
    this.responses += part.responses;
    this.durationMs += part.durationMs;
  }
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Appends and pops in FIFO order with O(1) amortized cost and no unbounded growth. */
class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  peek(): T | undefined {
    return this.#items[this.#head];
  }
  push(item: T): void {
    this.#items.push(item);
  }
  shift(): void {
    this.#items[this.#head] = undefined;
    this.#head++;
    // Compacting once the dead prefix outweighs the live part keeps memory O(live records).
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}

class MetricsEngine {
  readonly #options: ResolvedMetricsOptions;
  /** Customers with an open conversation or a live day record; others are forgotten. */
  readonly #customers = new Map<string, CustomerState>();
  /** Live day records in creation order, which is also `finalEnd` order because the log is in time order. */
  readonly #expiry = new Fifo<DayRecord>();
  readonly #shop: Tally;
  readonly #agents = new Map<string, Tally>();

  constructor(options: ResolvedMetricsOptions) {
    this.#options = options;
    this.#shop = new Tally(options.responseLadderMs.length);
  }

  #dayOf(at: number): number {
    return Math.floor((at + this.#options.timeZoneOffsetMs) / DAY);
  }

  #dayStart(day: number): number {
    return day * DAY - this.#options.timeZoneOffsetMs;
  }

  /** Retires the records whose final-payment window closed at or before `at`: nothing can change them any more. */
  #expireUntil(at: number): void {
    for (let record = this.#expiry.peek(); record !== undefined && record.finalEnd <= at; record = this.#expiry.peek()) {
      this.#expiry.shift();
      if (record.open) record.expired = true;
      else this.#retire(record);
    }
  }

  #retire(record: DayRecord): void {
    const customer = this.#customers.get(record.customerId);
    if (customer !== undefined) {
      const i = customer.records.indexOf(record);
      if (i >= 0) customer.records.splice(i, 1);
      if (customer.records.length === 0 && customer.conversation === undefined) this.#customers.delete(record.customerId);
    }
    this.#fold(record);
  }

  #fold(record: DayRecord): void {
    const thresholds = this.#options.responseLadderMs;
    this.#shop.add(record, record.shop, thresholds);
    for (const [agentId, part] of record.agents) {
      let tally = this.#agents.get(agentId);
      if (tally === undefined) {
        tally = new Tally(thresholds.length);
        this.#agents.set(agentId, tally);
      }
      tally.add(record, part, thresholds);
    }
  }

  #conversation(event: ConversationEvent, index: number): Conversation {
    const conversation = this.#customers.get(event.customerId)?.conversation;
    if (conversation === undefined) {
      throw expected('INVALID_EVENT', `events[${index}].customerId`, `a customer with an open consultation (a '${event.type}' event needs one)`, event.customerId);
    }
    return conversation;
  }

  #part(record: DayRecord, agentId: string): Part {
    let part = record.agents.get(agentId);
    if (part === undefined) {
      part = newPart();
      record.agents.set(agentId, part);
    }
    return part;
  }

  /** Adds the gap since the previous message to the pending reception time, unless it is too long to be service. */
  #gap(conversation: Conversation, at: number): void {
    if (!Number.isNaN(conversation.lastMessageAt)) {
      const gap = at - conversation.lastMessageAt;
      if (gap <= this.#options.maxWaitMs) conversation.pendingDurationMs += gap;
    }
    conversation.lastMessageAt = at;
  }

  /** Marks a wait that is still unanswered at `at` as slow once it has lasted too long. */
  #closeWait(conversation: Conversation, at: number): void {
    if (Number.isNaN(conversation.waitStart) || at - conversation.waitStart <= this.#options.slowResponseMs) return;
    const { record, holder } = conversation;
    record.shop.slow = true;
    if (holder !== undefined) this.#part(record, holder).slow = true;
  }

  apply(event: ConversationEvent, index: number): void {
    this.#expireUntil(event.at);
    switch (event.type) {
      case 'consultation':
        return this.#consultation(event.customerId, event.at, event.filtered === true);
      case 'assigned': {
        const conversation = this.#conversation(event, index);
        if (event.robot === true) {
          conversation.holder = undefined;
        } else {
          this.#hold(conversation, event.agentId);
        }
        return;
      }
      case 'transfer':
        return this.#hold(this.#conversation(event, index), event.toAgentId);
      case 'customer-message': {
        const conversation = this.#conversation(event, index);
        const { record, holder } = conversation;
        record.shop.customerMessages++;
        if (holder !== undefined) this.#part(record, holder).customerMessages++;
        if (Number.isNaN(conversation.waitStart)) conversation.waitStart = event.at;
        this.#gap(conversation, event.at);
        return;
      }
      case 'agent-reply':
        return this.#reply(this.#conversation(event, index), event.agentId, event.at);
      case 'auto-reply':
      case 'robot-reply':
        // They answer nobody (DOMAIN.md): checked for an open conversation, otherwise ignored.
        this.#conversation(event, index);
        return;
      case 'end': {
        const conversation = this.#conversation(event, index);
        this.#closeWait(conversation, event.at);
        const customer = this.#customers.get(event.customerId) as CustomerState;
        customer.conversation = undefined;
        conversation.record.open = false;
        if (conversation.record.expired) this.#retire(conversation.record);
        return;
      }
      case 'order-placed': {
        for (const record of this.#customers.get(event.customerId)?.records ?? []) {
          if (event.at < record.nextDayEnd) record.inquiry = true;
        }
        return;
      }
      case 'order-paid':
        return this.#paid(event.customerId, event.at, event.amount, event.units);
    }
  }

  #consultation(customerId: string, at: number, filtered: boolean): void {
    let customer = this.#customers.get(customerId);
    if (customer === undefined) {
      customer = { conversation: undefined, records: [] };
      this.#customers.set(customerId, customer);
    }
    const open = customer.conversation;
    if (open !== undefined) {
      // A consultation on an open conversation (re-routed, escalated from the robot, re-opened)
      // continues it: same customer-day, and nobody holds it until the next assignment.
      open.record.filtered &&= filtered;
      open.holder = undefined;
      return;
    }
    const day = this.#dayOf(at);
    let record = customer.records[customer.records.length - 1];
    if (record !== undefined && record.day === day) {
      record.filtered &&= filtered;
    } else {
      record = {
        customerId, day, inRange: at >= this.#options.from && at < this.#options.to, filtered,
        inquiry: false, paidNextDay: false, paidFinal: false,
        nextDayEnd: this.#dayStart(day + 1 + NEXT_DAY_DELAY_DAYS), finalEnd: this.#dayStart(day + 1 + FINAL_DELAY_DAYS),
        shop: newPart(), agents: new Map(), lastAgent: undefined, open: false, expired: false,
      };
      customer.records.push(record);
      this.#expiry.push(record);
    }
    record.open = true;
    customer.conversation = { record, holder: undefined, waitStart: NaN, lastMessageAt: NaN, pendingDurationMs: 0 };
  }

  #hold(conversation: Conversation, agentId: string): void {
    conversation.holder = agentId;
    conversation.record.lastAgent = agentId;
    this.#part(conversation.record, agentId);
  }

  #reply(conversation: Conversation, agentId: string, at: number): void {
    const { record } = conversation;
    const shop = record.shop;
    const part = this.#part(record, agentId);
    record.lastAgent ??= agentId;
    shop.agentMessages++;
    part.agentMessages++;
    shop.replied = true;
    part.replied = true;
    this.#gap(conversation, at);
    // Reception time accrues to the agent whose reply closes it: a transfer credits later replies to the new agent.
    shop.durationMs += conversation.pendingDurationMs;
    part.durationMs += conversation.pendingDurationMs;
    conversation.pendingDurationMs = 0;
    if (Number.isNaN(conversation.waitStart)) return;
    const wait = at - conversation.waitStart;
    conversation.waitStart = NaN;
    this.#response(shop, wait);
    this.#response(part, wait);
  }

  #response(part: Part, wait: number): void {
    part.responseSumMs += wait;
    part.responses++;
    if (part.firstResponseMs < 0) part.firstResponseMs = wait;
    if (wait > this.#options.slowResponseMs) part.slow = true;
  }

  #paid(customerId: string, at: number, amount: number, units: number): void {
    const records = this.#customers.get(customerId)?.records;
    if (records === undefined) return;
    for (const record of records) {
      if (at < record.nextDayEnd) record.paidNextDay = true;
      if (at < record.finalEnd) record.paidFinal = true;
    }
    // Sales go to one record only — the latest consultation — so a payment is never counted twice.
    const latest = records[records.length - 1];
    if (latest === undefined || at >= latest.finalEnd || at < this.#options.from || at >= this.#options.to) return;
    this.#sale(latest.shop, amount, units);
    if (latest.lastAgent !== undefined) this.#sale(this.#part(latest, latest.lastAgent), amount, units);
  }

  #sale(part: Part, amount: number, units: number): void {
    part.salesAmount += amount;
    part.unitsSold += units;
    part.bought = true;
  }

  finish(asOf: number): MetricsReport {
    for (const customer of this.#customers.values()) {
      if (customer.conversation !== undefined) this.#closeWait(customer.conversation, asOf);
    }
    for (const customer of this.#customers.values()) {
      for (const record of customer.records) this.#fold(record);
    }
    this.#customers.clear();
    const agents = new Map<string, Figures>();
    for (const id of [...this.#agents.keys()].sort()) agents.set(id, this.#figures(this.#agents.get(id) as Tally, asOf));
    return { shop: this.#figures(this.#shop, asOf), agents, asOf };
  }

  #figures(tally: Tally, asOf: number): Figures {
    const settled = (delayDays: number): boolean => tally.lastDay === -Infinity || asOf >= this.#dayStart(tally.lastDay + 1 + delayDays);
    const nextDayFinal = settled(NEXT_DAY_DELAY_DAYS);
    return {
      consultations: tally.consultations,
      receptions: tally.receptions,
      filtered: tally.filtered,
      inquiries: { value: tally.inquiries, final: nextDayFinal },
      salesAmount: tally.salesAmount,
      unitsSold: tally.unitsSold,
      buyers: tally.buyers,
      valuePerBuyer: ratio(tally.salesAmount, tally.buyers),
      unitsPerBuyer: ratio(tally.unitsSold, tally.buyers),
      inquiryToNextDayPaymentRate: { value: ratio(tally.nextDayPayers, tally.inquiries), final: nextDayFinal },
      inquiryToFinalPaymentRate: { value: ratio(tally.finalPayers, tally.inquiries), final: settled(FINAL_DELAY_DAYS) },
      answerQuestionRatio: ratio(tally.agentMessages, tally.customerMessages),
      replyRate: ratio(tally.replied, tally.receptions),
      slowResponses: tally.slow,
      firstResponseTimeMs: ratio(tally.firstResponseSumMs, tally.firstResponses),
      avgResponseTimeMs: ratio(tally.responseSumMs, tally.responses),
      avgReceptionDurationMs: ratio(tally.durationMs, tally.replied),
      responseLadder: this.#options.responseLadderMs.map((withinMs, i) => ({ withinMs, rate: ratio(tally.ladder[i] as number, tally.receptions) })),
      agentMessages: tally.agentMessages,
      customerMessages: tally.customerMessages,
      repliedCustomers: tally.replied,
    };
  }
}

/**
 * Computes the reception dashboard (接待分析) — for the shop and for each agent — from a log of
 * conversation events, in one pass, keeping only the customers still in flight.
 *
 * The log must be in time order (non-decreasing `at`); it may be any iterable, e.g. a generator
 * reading a file. A malformed or out-of-order event throws a {@link RoutingError} with code
 * `INVALID_EVENT` naming the event's index and field, and no report is returned.
 *
 * @example
 * ```ts
 * const report = computeMetrics([
 *   { type: 'consultation', at: 0, customerId: 'c1' },
 *   { type: 'assigned', at: 0, customerId: 'c1', agentId: 'a1' },
 *   { type: 'customer-message', at: 1_000, customerId: 'c1' },
 *   { type: 'agent-reply', at: 31_000, customerId: 'c1', agentId: 'a1' },
 * ]);
 * report.shop.firstResponseTimeMs; // 30000
 * report.agents.get('a1')?.replyRate; // 1
 * ```
 *
 * @throws {RoutingError} `INVALID_OPTION` for a bad option, `INVALID_EVENT` for a bad event.
 */
export function computeMetrics(events: Iterable<ConversationEvent>, options: MetricsOptions = {}): MetricsReport {
  const resolved = resolveOptions(options);
  if (events === null || typeof events !== 'object' || typeof (events as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw expected('INVALID_ARGUMENT', 'events', 'an iterable of events', events);
  }
  const engine = new MetricsEngine(resolved);
  let index = 0;
  let previousAt = -Infinity;
  for (const raw of events as Iterable<unknown>) {
    const event = validateEvent(raw, index, previousAt, resolved.asOf);
    engine.apply(event, index);
    previousAt = event.at;
    index++;
  }
  return engine.finish(resolved.asOf ?? previousAt);
}

