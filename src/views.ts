import type { AgentRecord, Open } from './records.js';
import type { Shop } from './shop.js';
import type { AgentView, ConsultationView } from './types.js';

/** What the router shows its caller: copies of the shop's records, which change nothing when changed. */

/** A copy of an agent's state. */
export function agentView(shop: Shop, a: AgentRecord): AgentView {
  return {
    id: a.id, status: a.status, weight: a.weight, groups: [...a.groups], cap: a.cap, active: a.active,
    load: a.load, pending: a.pending, busy: a.pending > shop.o.busyThreshold, assigned: a.assigned,
  };
}

/** A copy of where a consultation is. */
export function consultationView(shop: Shop, open: Open): ConsultationView {
  const view: ConsultationView = { customerId: open.customerId, kind: open.where as ConsultationView['kind'], since: open.since, orderState: open.orderState, priority: open.priority };
  if (open.segment !== undefined) view.segment = open.segment;
  if (open.product !== undefined) view.product = open.product;
  if (open.intent !== undefined) view.intent = open.intent;
  if (open.target.groups !== undefined) view.groups = [...open.target.groups];
  if (open.agent !== undefined) view.agentId = open.agent.id;
  if (open.accountId !== undefined) view.accountId = open.accountId;
  if (open.awaiting) view.awaitingReplySince = open.awaitingSince;
  if (open.cost !== 1) view.cost = open.cost;
  if (open.onHold) view.onHold = true;
  if (open.where === 'queued') {
    view.position = shop.queue.position(open);
    const wait = estimatedWait(shop, open);
    if (wait !== undefined) view.estimatedWaitMs = wait;
    if (open.heldFor !== undefined) view.heldFor = open.heldFor;
  }
  // The earlier of its deadline and its inactivity deadline.
  const d = open.deadline !== undefined && open.deadline.heapIndex >= 0 ? open.deadline.key : Number.POSITIVE_INFINITY;
  const q = open.quiet !== undefined && open.quiet.heapIndex >= 0 ? open.quiet.key : Number.POSITIVE_INFINITY;
  if (Math.min(d, q) < Number.POSITIVE_INFINITY) view.deadline = Math.min(d, q);
  return view;
}

/**
 * A queued consultation's estimated wait from now (ms): its position among the consultations of
 * its pool, times the mean interval between that pool's last services from the queue, measured up
 * to now (so a line that stopped moving looks slower the longer it stands). `undefined` until
 * the pool's queue has been served and some time has passed since.
 */
export function estimatedWait(shop: Shop, open: Open): number | undefined {
  const times = shop.departures.get(open.target.pool);
  const elapsed = times === undefined ? 0 : shop.time.now - (times[0] as number);
  const position = shop.queue.positionInPool(open);
  if (!(elapsed > 0) || position === 0) return undefined; // no service yet, or all of it this instant: no rate to go by
  return Math.round((position * elapsed) / (times as number[]).length);
}
