import type { DayRecord, Part } from './day-record.js';
import { FINAL_DELAY_DAYS, NEXT_DAY_DELAY_DAYS } from './options.js';
import type { Figures } from './report.js';

/** Running sums for one scope (the shop or one agent); turned into {@link Figures} at the end. */
export class Tally {
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

export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * The figures of one tally as of `asOf`. A delayed figure is final once `asOf` is past the settling
 * delay of the latest consultation day counted; `dayStart` maps a day number to its first instant.
 */
export function figuresOf(tally: Tally, asOf: number, ladderMs: readonly number[], dayStart: (day: number) => number): Figures {
  const settled = (delayDays: number): boolean => tally.lastDay === -Infinity || asOf >= dayStart(tally.lastDay + 1 + delayDays);
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
    responseLadder: ladderMs.map((withinMs, i) => ({ withinMs, rate: ratio(tally.ladder[i] as number, tally.receptions) })),
    agentMessages: tally.agentMessages,
    customerMessages: tally.customerMessages,
    repliedCustomers: tally.replied,
  };
}
