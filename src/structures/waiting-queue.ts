import { fits, type Capacity } from '../pipeline/capacity.js';
import { OrderedSet, type SetNode } from './ordered-set.js';

/** What the waiting queue orders by. */
export interface Waiting {
  readonly customerId: string;
  /** Original arrival time, kept across re-routing. */
  readonly since: number;
  /** Arrival order, for equal priority and time. */
  readonly order: number;
  readonly priority: number;
  /** The units of an agent's cap it takes (`Consultation.cost`), fixed while it waits. */
  readonly cost: number;
}

/** Rule 8's service order: highest priority, then longest waiting, then first routed. */
export function servedBefore(a: Waiting, b: Waiting): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.since !== b.since) return a.since < b.since;
  return a.order < b.order;
}

/** Who could take a queued consultation besides its pool, fixed while it waits. */
export interface WaitingFor<P> {
  /** Its candidate pool (rule 5), or none while it is held for one agent. */
  readonly pool: P | undefined;
  /**
   * The agent it was last taken from (rule 9), which does not take it from the pool. A waiting
   * consultation is kept from that one agent only: a re-route that found nobody else started a
   * new round (see `choose`).
   */
  readonly keptFrom: string | undefined;
  /** Its recent contacts (rule 2) within the window, excluded agents left out: agent id and contact time. */
  readonly contacts: readonly { readonly agentId: string; readonly at: number }[];
  /** Its dedicated agent (rule 3), unless excluded. */
  readonly dedicatedAgentId: string | undefined;
}

/** What an agent whose capacity just grew may take from the queue. */
export interface Taker<P> {
  readonly id: string;
  /** The pools in which it can take a consultation now (none unless online and under cap). */
  readonly pools: readonly P[];
  /** It may take its recent contacts now (online, or suspended where that is allowed; under cap). */
  readonly contacts: boolean;
  /** It may take consultations naming it their dedicated agent (online, under cap). */
  readonly dedicated: boolean;
  /** Its load and cap: it takes only what fits. */
  readonly capacity: Capacity;
}

interface Entry<T> {
  readonly item: T;
  /** In a contacts lane: when the agent served the customer. */
  readonly at: number;
}

type Lane<T> = OrderedSet<Entry<T>>;


interface LaneRef<T> {
  readonly lane: Lane<T>;
  readonly node: SetNode<Entry<T>>;
  /** A contacts lane's agent, so a forgotten contact can be dropped. */
  readonly agentId: string | undefined;
  /** Forgets the lane once it is empty, so idle lanes hold no memory. */
  readonly drop: () => void;
}

interface Ticket<T, P> {
  readonly node: SetNode<T>;
  /** When it waits for a pool: the pool, its consultations (see `#pools`) and its node there. */
  readonly inPool: { readonly key: P; readonly lane: OrderedSet<T>; readonly node: SetNode<T> } | undefined;
  readonly refs: LaneRef<T>[];
}

const entryBefore = <T extends Waiting>(a: Entry<T>, b: Entry<T>): boolean => servedBefore(a.item, b.item);
const entryCost = <T extends Waiting>(e: Entry<T>): number => e.item.cost;
const newLane = <T extends Waiting>(): Lane<T> => new OrderedSet<Entry<T>>(entryBefore, entryCost);
const costOf = (w: Waiting): number => w.cost;

/**
 * The waiting queue (rule 8), indexed so that serving a freed slot costs O(log n) in the queue's
 * length whichever agent frees it.
 *
 * Every queued consultation sits in one ordered set of them all (service order, with ranks for
 * positions) and in lanes by who could take it: its pool's lane, and a lane per recent contact and
 * dedicated agent. When an agent's capacity grows, only its own lanes hold candidates:
 * before that change no queued consultation could be taken (the router serves the queue after
 * every change that frees capacity), so the first one this agent may take, in service order, is
 * the one to serve. With costs, that is the first one that fits the agent's room (first fit):
 * each lane keeps the least cost of every subtree, so the first that fits is one walk down the
 * lane, however many larger ones wait before it. A pool's lane labels each consultation with the
 * agent it is kept from and keeps, per subtree, the least cost of another label too, so that the
 * walk passes over the taker's own declined chats as well: a freed slot costs O(log n) for each of
 * the agent's pools.
 */
export class WaitingQueue<T extends Waiting, P> {
  // Invariant: #all, #tickets and the lanes hold exactly the queued consultations; each lane is in
  // service order; a lane in a map is not empty.
  readonly #all = new OrderedSet<T>(servedBefore);
  readonly #tickets = new Map<T, Ticket<T, P>>();
  /** Each pool's waiting consultations in service order, measured by cost, labelled by the agent each is kept from. */
  readonly #pools = new Map<P, OrderedSet<T>>();
  readonly #contacts = new Map<string, Lane<T>>();
  readonly #dedicated = new Map<string, Lane<T>>();

  get size(): number {
    return this.#all.size;
  }

  has(item: T): boolean {
    return this.#tickets.has(item);
  }

  /** Queues `item` and returns its 1-based position. */
  insert(item: T, waitingFor: WaitingFor<P>): number {
    const node = this.#all.insert(item);
    const refs: LaneRef<T>[] = [];
    let inPool: Ticket<T, P>['inPool'];
    const pool = waitingFor.pool;
    if (pool !== undefined) {
      let lane = this.#pools.get(pool);
      if (lane === undefined) this.#pools.set(pool, (lane = new OrderedSet<T>(servedBefore, costOf)));
      inPool = { key: pool, lane, node: lane.insert(item, waitingFor.keptFrom) };
    }
    const latest = new Map<string, number>();
    for (const c of waitingFor.contacts) if (!(c.at <= (latest.get(c.agentId) ?? Number.NEGATIVE_INFINITY))) latest.set(c.agentId, c.at);
    for (const [agentId, at] of latest) refs.push(this.#enterAgentLane(this.#contacts, agentId, item, at, agentId));
    if (waitingFor.dedicatedAgentId !== undefined) refs.push(this.#enterAgentLane(this.#dedicated, waitingFor.dedicatedAgentId, item, 0, undefined));
    this.#tickets.set(item, { node, inPool, refs });
    return this.#all.rank(node) + 1;
  }

  /** Takes `item` off the queue; nothing happens when it is not queued. */
  remove(item: T): void {
    const ticket = this.#tickets.get(item);
    if (ticket === undefined) return;
    this.#tickets.delete(item);
    this.#all.delete(ticket.node);
    if (ticket.inPool !== undefined) {
      const { key, lane, node } = ticket.inPool;
      lane.delete(node);
      // Forgets the pool's lane once it is empty, so idle pools hold no memory.
      if (lane.size === 0) this.#pools.delete(key);
    }
    for (const ref of ticket.refs) this.#leave(ref);
  }

  /** The 1-based position of a queued item in service order. */
  position(item: T): number {
    const ticket = this.#tickets.get(item);
    return ticket === undefined ? 0 : this.#all.rank(ticket.node) + 1;
  }

  /** The 1-based position of a queued item among the consultations of its own pool; 0 when it waits for no pool. */
  positionInPool(item: T): number {
    const ticket = this.#tickets.get(item);
    return ticket?.inPool === undefined ? 0 : ticket.inPool.lane.rank(ticket.inPool.node) + 1;
  }

  /** The queue in service order. */
  items(): IterableIterator<T> {
    return this.#all.values();
  }

  /**
   * The first consultation in service order that `taker` may take and has room for, or
   * `undefined`. Contacts made before `staleBefore` (outside the window now) leave the taker's
   * contacts lane on the way.
   */
  next(taker: Taker<P>, staleBefore: number): T | undefined {
    const room = taker.capacity;
    const within = (cost: number): boolean => fits(room, cost);
    let best: T | undefined;
    const consider = (item: T | undefined): void => {
      if (item !== undefined && (best === undefined || servedBefore(item, best))) best = item;
    };
    if (taker.contacts) {
      let first = this.#contacts.get(taker.id)?.firstWithin(within);
      while (first !== undefined && first.at < staleBefore) {
        this.dropContact(first.item, taker.id);
        first = this.#contacts.get(taker.id)?.firstWithin(within);
      }
      consider(first?.item);
    }
    if (taker.dedicated) consider(this.#dedicated.get(taker.id)?.firstWithin(within)?.item);
    for (const pool of taker.pools) consider(this.#pools.get(pool)?.firstWithin(within, taker.id));
    return best;
  }

  /** The router no longer remembers `agentId` as the item's recent contact: it leaves that agent's contacts lane (whether it was in it). */
  dropContact(item: T, agentId: string): boolean {
    const ticket = this.#tickets.get(item);
    const i = ticket === undefined ? -1 : ticket.refs.findIndex((r) => r.agentId === agentId);
    if (i < 0) return false;
    this.#leave((ticket as Ticket<T, P>).refs[i] as LaneRef<T>);
    (ticket as Ticket<T, P>).refs.splice(i, 1);
    return true;
  }

  #enter(lane: Lane<T>, item: T, at: number, agentId: string | undefined, drop: () => void): LaneRef<T> {
    return { lane, node: lane.insert({ item, at }), agentId, drop };
  }

  #enterAgentLane(lanes: Map<string, Lane<T>>, agentId: string, item: T, at: number, contactOf: string | undefined): LaneRef<T> {
    let lane = lanes.get(agentId);
    if (lane === undefined) {
      lane = newLane();
      lanes.set(agentId, lane);
    }
    const own = lane;
    return this.#enter(own, item, at, contactOf, () => {
      if (own.size === 0 && lanes.get(agentId) === own) lanes.delete(agentId);
    });
  }

  #leave(ref: LaneRef<T>): void {
    ref.lane.delete(ref.node);
    if (ref.lane.size === 0) ref.drop();
  }
}
