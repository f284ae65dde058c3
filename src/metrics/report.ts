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
  /**
   * Per group, keyed by group id in ascending order: the customers whose conversations belong to
   * the group — a conversation belongs to the group its first human assignment names (`groupId`
   * of that `assigned` event), for its whole length, whoever answers it later. Empty when no
   * `assigned` event carries a `groupId`. Sales go to the group of the customer-day's last
   * conversation that belongs to one.
   */
  groups: Map<string, Figures>;
  /** The `asOf` the figures were computed at (`-Infinity` for an empty log without `options.asOf`). */
  asOf: number;
  /**
   * What makes figures of this report misleading, found in the log itself; empty when nothing
   * was. Show them next to the figures.
   */
  warnings: MetricsWarning[];
}

/**
 * A reason to distrust some figures of a report.
 *
 * - `NO_CUSTOMER_MESSAGES`: customers were received but the log holds no `customer-message` at
 *   all, so no wait was ever measured: the reply rate reads 100 % as soon as agents reply, while
 *   response times are `null` and the response-rate ladder reads 0 %. The usual cause is a log of
 *   router decisions (`toEvents`) without the chat's messages — pass `{ firstMessage: true }` to
 *   `toEvents` and log the customers' later messages.
 */
export interface MetricsWarning {
  /** A stable code: safe to match on across versions. */
  code: 'NO_CUSTOMER_MESSAGES';
  /** What is wrong and which figures it affects, in English. */
  message: string;
}

/** The warnings a report's shop figures call for. */
export function warningsFor(shop: Figures): MetricsWarning[] {
  const warnings: MetricsWarning[] = [];
  if (shop.receptions > 0 && shop.customerMessages === 0) {
    warnings.push({
      code: 'NO_CUSTOMER_MESSAGES',
      message:
        `The log has ${shop.receptions} reception(s) but no customer message: reply rate, response times, ` +
        'slow responses and the response-rate ladder measure no wait. Log each customer message ' +
        "(a 'customer-message' event), or pass { firstMessage: true } to toEvents for the message that opened the chat.",
    });
  }
  return warnings;
}
