import type { RecentContact } from '../types.js';

/**
 * Rule 2 (最近联系人): among the customer's contacts within the window — the router's own memory
 * and those the caller passed — the most recent one whose agent is eligible. On equal times the
 * remembered contact comes first, then the caller's in their order.
 */
export function chooseRecentContact(
  remembered: RecentContact | undefined,
  given: readonly RecentContact[] | undefined,
  at: number,
  windowMs: number,
  eligible: (agentId: string) => boolean,
): string | undefined {
  let best: RecentContact | undefined;
  const consider = (c: RecentContact): void => {
    if (at - c.at > windowMs) return;
    if (best !== undefined && c.at <= best.at) return;
    if (eligible(c.agentId)) best = c;
  };
  if (remembered !== undefined) consider(remembered);
  if (given !== undefined) for (const c of given) consider(c);
  return best?.agentId;
}
