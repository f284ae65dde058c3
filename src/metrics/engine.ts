import { expected } from '../errors.js';
import { newPart } from './day-record.js';
import type { Conversation, CustomerState, DayRecord, Part } from './day-record.js';
import type { ConversationEvent } from './events.js';
import { DAY, FINAL_DELAY_DAYS, NEXT_DAY_DELAY_DAYS } from './options.js';
import type { ResolvedMetricsOptions } from './options.js';
import { warningsFor } from './report.js';
import type { Figures, MetricsReport } from './report.js';
import { figuresOf, Tally } from './tally.js';

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

export class MetricsEngine {
  readonly #options: ResolvedMetricsOptions;
  /** Customers with an open conversation or a live day record; others are forgotten. */
  readonly #customers = new Map<string, CustomerState>();
  /** Live day records in creation order, which is also `finalEnd` order because the log is in time order. */
  readonly #expiry = new Fifo<DayRecord>();
  readonly #shop: Tally;
  readonly #agents = new Map<string, Tally>();
  readonly #groups = new Map<string, Tally>();

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
    for (const [agentId, part] of record.agents) tallyOf(this.#agents, agentId, thresholds.length).add(record, part, thresholds);
    for (const [groupId, part] of record.groups) tallyOf(this.#groups, groupId, thresholds.length).add(record, part, thresholds);
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

  #groupPart(record: DayRecord, groupId: string): Part {
    let part = record.groups.get(groupId);
    if (part === undefined) {
      part = newPart();
      record.groups.set(groupId, part);
    }
    return part;
  }

  /** The part of the conversation's group, once it has one. */
  #inGroup(conversation: Conversation): Part | undefined {
    return conversation.group === undefined ? undefined : this.#groupPart(conversation.record, conversation.group);
  }

  /**
   * Settles the conversation's group at its first human assignment (`groupId`, possibly none):
   * the customer messages sent before it are counted for that group too.
   */
  #attribute(conversation: Conversation, groupId: string | undefined): void {
    if (conversation.attributed) return;
    conversation.attributed = true;
    if (groupId === undefined) return;
    conversation.group = groupId;
    conversation.record.lastGroup = groupId;
    this.#groupPart(conversation.record, groupId).customerMessages += conversation.earlyMessages;
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
    const group = this.#inGroup(conversation);
    if (group !== undefined) group.slow = true;
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
          this.#attribute(conversation, event.groupId);
          this.#hold(conversation, event.agentId);
        }
        return;
      }
      case 'transfer': {
        const conversation = this.#conversation(event, index);
        this.#attribute(conversation, undefined);
        return this.#hold(conversation, event.toAgentId);
      }
      case 'customer-message': {
        const conversation = this.#conversation(event, index);
        const { record, holder } = conversation;
        record.shop.customerMessages++;
        if (holder !== undefined) this.#part(record, holder).customerMessages++;
        if (!conversation.attributed) conversation.earlyMessages++;
        else if (conversation.group !== undefined) this.#groupPart(record, conversation.group).customerMessages++;
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
        shop: newPart(), agents: new Map(), lastAgent: undefined, groups: new Map(), lastGroup: undefined, open: false, expired: false,
      };
      customer.records.push(record);
      this.#expiry.push(record);
    }
    record.open = true;
    customer.conversation = {
      record, holder: undefined, waitStart: NaN, lastMessageAt: NaN, pendingDurationMs: 0, attributed: false, group: undefined, earlyMessages: 0,
    };
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
    // A reply before any assignment settles the conversation in no group.
    this.#attribute(conversation, undefined);
    const group = this.#inGroup(conversation);
    shop.agentMessages++;
    part.agentMessages++;
    shop.replied = true;
    part.replied = true;
    this.#gap(conversation, at);
    // Reception time accrues to the agent whose reply closes it: a transfer credits later replies to the new agent.
    const duration = conversation.pendingDurationMs;
    shop.durationMs += duration;
    part.durationMs += duration;
    conversation.pendingDurationMs = 0;
    if (group !== undefined) {
      group.agentMessages++;
      group.replied = true;
      group.durationMs += duration;
    }
    if (Number.isNaN(conversation.waitStart)) return;
    const wait = at - conversation.waitStart;
    conversation.waitStart = NaN;
    this.#response(shop, wait);
    this.#response(part, wait);
    if (group !== undefined) this.#response(group, wait);
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
    // Sales go to one record only — the latest consultation day that was service, not filtered —
    // so a payment is never counted twice. Walking back stops at the first day past its window: at
    // most the 5 days of one.
    if (at < this.#options.from || at >= this.#options.to) return;
    let latest: DayRecord | undefined;
    for (let i = records.length - 1; i >= 0; i--) {
      const record = records[i] as DayRecord;
      if (at >= record.finalEnd) return;
      if (!record.filtered) {
        latest = record;
        break;
      }
    }
    if (latest === undefined) return;
    this.#sale(latest.shop, amount, units);
    if (latest.lastAgent !== undefined) this.#sale(this.#part(latest, latest.lastAgent), amount, units);
    if (latest.lastGroup !== undefined) this.#sale(this.#groupPart(latest, latest.lastGroup), amount, units);
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
    const figures = (tally: Tally): Figures => figuresOf(tally, asOf, this.#options.responseLadderMs, (day) => this.#dayStart(day));
    const agents = new Map<string, Figures>();
    for (const id of [...this.#agents.keys()].sort()) agents.set(id, figures(this.#agents.get(id) as Tally));
    const groups = new Map<string, Figures>();
    for (const id of [...this.#groups.keys()].sort()) groups.set(id, figures(this.#groups.get(id) as Tally));
    const shop = figures(this.#shop);
    return { shop, agents, groups, asOf, warnings: warningsFor(shop) };
  }
}

/** The tally of `id` in `tallies`, made on first use. */
function tallyOf(tallies: Map<string, Tally>, id: string, steps: number): Tally {
  let tally = tallies.get(id);
  if (tally === undefined) {
    tally = new Tally(steps);
    tallies.set(id, tally);
  }
  return tally;
}
