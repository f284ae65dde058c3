import { Router, RoutingError } from '../index.js';
import type { AgentView, ConsultationView, Decision, QueuedView, RouterOptions, RouterSnapshot } from '../index.js';
import { decodeEntry, fieldOf, joinTime, type LogEntry } from './entry.js';
import { RedisRouterError } from './errors.js';
import { LOG_START } from './keys.js';

/** The version of {@link StoredSnapshot}'s layout. */
export const STORED_SNAPSHOT_VERSION = 1;

/** A replica's state at one log position, as stored in `fenliu:{shopId}:snapshot`. */
export interface StoredSnapshot {
  /** The schema version of this wrapper (the router's own is `router.version`). */
  version: number;
  /** The last log entry applied. */
  id: string;
  /** How many log entries were applied, malformed and rejected ones included. */
  count: number;
  /** Per client: the last request number applied and the shop time of it — `[clientId, n, at]`. */
  clients: [string, number, number][];
  /** The shop's router at that entry, as `Router.snapshot()` writes it. */
  router: RouterSnapshot;
}

/** What applying one log entry did: the call's result, or the error every replica rejected it with. */
export type Applied =
  | { ok: true; id: string; rid: string; op: string; value: Decision | Decision[] | undefined }
  | { ok: false; id: string; rid: string; op: string | undefined; error: RoutingError | RedisRouterError };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How long a client's last request number is remembered after its last entry (shop time). */
const CLIENT_MEMORY_MS = 24 * 3_600_000;
/** Forgetting is checked every this many entries: a deterministic point, the same on every replica. */
const FORGET_EVERY = 1024;

/**
 * The state machine the log drives: a `Router` plus the log position it has reached. Every
 * process holds one per shop and feeds it the same entries in the same order, so all make the
 * same decisions. It needs no Redis: replay a log through one to audit it.
 *
 * Time: an entry's `at` is the caller's clock, and callers' clocks differ. The replica applies
 * `max(at, latest time applied)`, a pure function of the log, so a late-arriving entry is applied
 * at the shop's current time instead of failing with `TIME_WENT_BACKWARDS` — the same on every replica.
 *
 * @example
 * ```ts
 * import { ShopReplica } from 'fenliu/redis';
 *
 * const replica = ShopReplica.create({ splitMode: 'weighted' });
 * const applied = replica.apply('1-0', ['v', '1', 'op', 'upsertAgent', 'at', '0', 'args', '[{"id":"a","status":"online"}]']);
 * console.log(applied.ok, replica.agents().length); // true 1
 * ```
 */
export class ShopReplica {
  /** Changed only by `apply`, so that its state is a function of the entries applied. */
  readonly #router: Router;
  #position: string;
  #count: number;
  /** The latest time applied; equals the Router's own latest time (a rejected entry moves neither). */
  #lastAt: number;
  /**
   * Per client, the highest request number applied. One client appends through one connection,
   * so its entries reach the log in request order: a number not above the last is a re-sent copy.
   * In the order of the clients' last entries, so that the silent ones are at the front.
   */
  readonly #clients: Map<string, { n: number; at: number }>;

  private constructor(router: Router, position: string, count: number, lastAt: number, clients: Map<string, { n: number; at: number }>) {
    this.#router = router;
    this.#position = position;
    this.#count = count;
    this.#lastAt = lastAt;
    this.#clients = clients;
  }

  /** A replica at the start of an empty log. The options' `clock` is ignored: times come from the log. */
  static create(options?: RouterOptions): ShopReplica {
    let replica: ShopReplica | undefined;
    // Every timed call gets an explicit `at`; this only answers a Router that asks anyway.
    const clock = (): number => (replica !== undefined && Number.isFinite(replica.#lastAt) ? replica.#lastAt : 0);
    replica = new ShopReplica(new Router({ ...options, clock }), LOG_START, 0, Number.NEGATIVE_INFINITY, new Map());
    return replica;
  }

  /** A replica from a stored snapshot. @throws {RoutingError} `INVALID_SNAPSHOT` for a corrupted one. */
  static restore(stored: StoredSnapshot): ShopReplica {
    const clientsOk = (v: unknown): boolean => Array.isArray(v) && v.every((c) => Array.isArray(c) && c.length === 3
      && typeof c[0] === 'string' && Number.isInteger(c[1]) && Number.isFinite(c[2]));
    if (!isObject(stored) || stored.version !== STORED_SNAPSHOT_VERSION || typeof stored.id !== 'string' || !/^\d+-\d+$/.test(stored.id)
      || typeof stored.count !== 'number' || !Number.isInteger(stored.count) || stored.count < 0 || !clientsOk(stored.clients)) {
      throw new RoutingError('INVALID_SNAPSHOT', `Expected a stored snapshot of version ${STORED_SNAPSHOT_VERSION} with an entry \`id\`, an integer \`count\` >= 0 and \`clients\``, 'snapshot');
    }
    let replica: ShopReplica | undefined;
    const clock = (): number => (replica !== undefined && Number.isFinite(replica.#lastAt) ? replica.#lastAt : 0);
    const router = Router.restore(stored.router, { clock });
    const lastAt = stored.router.now ?? Number.NEGATIVE_INFINITY;
    // A client's time is no later than the shop's (a snapshot stored by an earlier release may
    // carry a refused call's time from ahead of it, which would keep every client behind it).
    const clients = new Map(stored.clients.map(([id, n, at]) => [id, { n, at: Math.min(at, Math.max(lastAt, 0)) }]));
    replica = new ShopReplica(router, stored.id, stored.count, lastAt, clients);
    return replica;
  }

  /** The id of the last entry applied (`"0-0"` before any). */
  get position(): string {
    return this.#position;
  }

  /** How many entries were applied, malformed and rejected ones included. */
  get count(): number {
    return this.#count;
  }

  /**
   * Applies one log entry (its id and XADD field list). A malformed entry is rejected with a
   * `MALFORMED_ENTRY` error and a call the Router refuses with its `RoutingError`; either way
   * the routing state is unchanged (the Router validates before it mutates) and the position advances.
   *
   * @param logKey - names the log in error messages.
   */
  apply(id: string, fields: readonly unknown[], logKey = 'the log'): Applied {
    this.#position = id;
    this.#count++;
    if (this.#count % FORGET_EVERY === 0) this.#forget();
    const entry = decodeEntry(logKey, id, fields);
    if (entry instanceof RedisRouterError) return { ok: false, id, rid: ridOf(fields), op: undefined, error: entry };
    const request = parseRid(entry.rid);
    let client: { n: number; at: number } | undefined;
    if (request !== undefined) {
      const last = this.#clients.get(request.client);
      if (last !== undefined && request.n <= last.n) {
        const error = new RedisRouterError('DUPLICATE_ENTRY', `Expected log entry ${id} of ${logKey} to be a new request, got a repeat of request ${entry.rid} (re-sent across a reconnect); it was skipped by every replica`, id);
        return { ok: false, id, rid: entry.rid, op: entry.op, error };
      }
      // Recorded whether the Router accepts the call or not: either way this request is done. Moved
      // to the back: the clients stay in the order of their last entries.
      this.#clients.delete(request.client);
      this.#clients.set(request.client, (client = { n: request.n, at: 0 }));
    }
    try {
      return { ok: true, id, rid: entry.rid, op: entry.op, value: this.#call(entry) };
    } catch (error) {
      // A RoutingError is the Router refusing the call; anything else would be a fenliu bug, and
      // is still reported the same way on every replica because every replica runs the same code.
      const e = error instanceof RoutingError ? error : new RoutingError('INVALID_ARGUMENT', `Log entry ${id} failed: ${String((error as Error | undefined)?.message ?? error)}`);
      return { ok: false, id, rid: entry.rid, op: entry.op, error: e };
    } finally {
      // The shop's time after the call, not the entry's: a refused call dated days ahead moves
      // neither, so the clients' times never decrease along the list and #forget may stop early.
      if (client !== undefined) client.at = Math.max(this.#lastAt, 0);
    }
  }

  #call(entry: LogEntry): Decision | Decision[] | undefined {
    const at = entry.at === undefined ? undefined : Math.max(entry.at, this.#lastAt);
    // Every op of the log is a Router method of the same name (OPS); the Router validates its arguments.
    const method = this.#router[entry.op] as (...args: unknown[]) => Decision | Decision[] | undefined;
    const value = method.apply(this.#router, joinTime(entry.op, entry.args, at));
    if (at !== undefined) this.#lastAt = at;
    return value;
  }

  /**
   * Forgets clients silent for a day of shop time (their connections are long gone), from the
   * front, up to the first one heard from since: O(clients forgotten). Each client's time is the
   * shop's after its last entry, so the list is in time order.
   */
  #forget(): void {
    const before = this.#lastAt - CLIENT_MEMORY_MS;
    for (const [client, last] of this.#clients) {
      if (last.at >= before) return;
      this.#clients.delete(client);
    }
  }

  /** The replica's state with its log position, as stored in Redis. */
  snapshot(): StoredSnapshot {
    return {
      version: STORED_SNAPSHOT_VERSION, id: this.#position, count: this.#count,
      clients: [...this.#clients].map(([client, last]) => [client, last.n, last.at]),
      router: this.#router.snapshot(),
    };
  }

  /** A read-only copy of one agent, or `undefined`. */
  getAgent(agentId: string): AgentView | undefined {
    return this.#router.getAgent(agentId);
  }

  /** Read-only copies of every agent. */
  agents(): AgentView[] {
    return this.#router.agents();
  }

  /** The waiting queue in service order. */
  queue(): QueuedView[] {
    return this.#router.queue();
  }

  /** The earliest deadline not yet fired in this replica. */
  nextDeadline(): number | undefined {
    return this.#router.nextDeadline();
  }

  /** Where an open consultation is in this replica. */
  consultation(customerId: string): ConsultationView | undefined {
    return this.#router.consultation(customerId);
  }
}

/** A request id `<client>:<n>` as fenliu writes it; `undefined` for anything else (hand-written entries). */
function parseRid(rid: string): { client: string; n: number } | undefined {
  const colon = rid.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const n = Number(rid.slice(colon + 1));
  return Number.isSafeInteger(n) && n > 0 ? { client: rid.slice(0, colon), n } : undefined;
}

function ridOf(fields: readonly unknown[]): string {
  const rid = fieldOf(fields, 'rid');
  return typeof rid === 'string' ? rid : '';
}
