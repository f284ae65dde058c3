import type {
  AgentSpec,
  AgentStatus,
  AgentView,
  Consultation,
  ConsultationView,
  Decision,
  EscalateOptions,
  QueuedView,
  RerouteRequest,
  RouterOptions,
  RouterSnapshot,
} from '../index.js';
import type { Router } from '../router.js';
import { expected } from '../errors.js';
import type { Op } from './entry.js';
import { checkKeyPart, shopKeys } from './keys.js';
import { Link, type RedisConnection } from './link.js';
import { resolveLog, resolveRouting, type LogOptions } from './options.js';
import { ShopCore, type RedisRouterEvent, type ShopSettings } from './shop.js';

/** The argument of {@link RedisRouter.open}. */
export interface RedisRouterOpenOptions extends LogOptions {
  /**
   * The connection to use. It is duplicated twice and never used itself: one duplicate carries
   * the appends and reads, the other listens for new entries. `close()` closes the duplicates
   * only. (ioredis re-sends an append that was in flight across a reconnect; the replicas skip
   * the second copy by its request id.) To serve many shops from one process, use `RedisShops`.
   */
  redis: RedisConnection;
  /** The shop (店铺): one log, one routing state. 1–200 characters, no braces or control characters. */
  shopId: string;
  /**
   * The shop's routing settings. The first process to open a shop stores them; every later one
   * must pass the same (or none, to adopt the stored ones) — otherwise replicas would decide
   * differently. `clock` stays local: it gives the default `at` of this process's calls.
   * @default the settings stored for the shop, or `Router`'s defaults for a new shop
   */
  options?: RouterOptions | undefined;
  /** Called for every {@link RedisRouterEvent}. Exceptions it throws are ignored. */
  onEvent?: ((event: RedisRouterEvent) => void) | undefined;
}

/** Where a `RedisRouter` finds its shop's replica: its own, or its host's (reopened after idleness). */
export interface ShopSource {
  /** The open shop, or the promise of it opened again. */
  core(): ShopCore | Promise<ShopCore>;
  /** The open shop, for a synchronous read; throws `CLOSED` when it is not in memory. */
  live(): ShopCore;
  close(): Promise<void>;
}

/** How often a shop with calls in flight reads its log without an announcement (ms). */
export const POLL_MS = 1_000;

let bind: (source: ShopSource) => RedisRouter;

/** A `RedisRouter` reading through `source`: how `RedisShops` hands out its shops. */
export function routerOf(source: ShopSource): RedisRouter {
  return bind(source);
}

/**
 * A shop's `Router` replicated over a Redis Stream, so that any number of processes route one
 * shop consistently: every mutating call is appended to the shop's log, every process applies the
 * log in order to its own replica, and a call resolves with the decision its own replica made for
 * its own entry — the decision every replica makes. Reads answer from the local replica.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisRouter } from 'fenliu/redis';
 *
 * const redis = new Redis(6379, '127.0.0.1');
 * const shop = await RedisRouter.open({ redis, shopId: 'tmall-12345', options: { splitMode: 'weighted' } });
 * await shop.upsertAgent({ id: 'xiaomei', status: 'online', weight: 2, cap: 8 });
 * const decision = await shop.route({ customerId: 'buyer-1', orderState: 'unpaid' });
 * if (decision.kind === 'agent') console.log(decision.agentId, decision.reason);
 * await shop.end('buyer-1');
 * await shop.close();
 * redis.disconnect();
 * ```
 */
export class RedisRouter {
  static {
    bind = (source) => new RedisRouter(source);
  }

  readonly #source: ShopSource;

  private constructor(source: ShopSource) {
    this.#source = source;
  }

  /**
   * Opens one shop on its own two connections: loads its latest snapshot, replays the log after
   * it, and follows the log. Resolves once the replica has caught up with the log as it was when
   * `open` was called.
   *
   * @throws {RoutingError} `INVALID_OPTION` for bad options, or options other than the shop's stored ones;
   *   `INVALID_SNAPSHOT` for a corrupted stored snapshot.
   * @throws {RedisRouterError} `LOG_UNRECOVERABLE` when the log was trimmed and no snapshot covers it.
   */
  static async open(options: RedisRouterOpenOptions): Promise<RedisRouter> {
    if (typeof options !== 'object' || options === null) throw expected('INVALID_OPTION', 'options', 'an object', options);
    const log = resolveLog(options);
    const routing = resolveRouting(options.options);
    const shopId = checkKeyPart('shopId', options.shopId);
    const settings: ShopSettings = {
      ...log, shopId, keys: shopKeys(checkKeyPart('prefix', log.prefix), shopId), ...routing, onEvent: options.onEvent,
    };
    const link = new Link(options.redis, POLL_MS);
    let core: ShopCore;
    try {
      core = await ShopCore.open(link, settings);
    } catch (error) {
      await link.close();
      throw error;
    }
    return new RedisRouter({
      core: () => core,
      live: () => core,
      close: async () => {
        await core.close();
        await link.close();
      },
    });
  }

  // ─────────────── mutating calls: through the log (one line each; the op names the Router method) ───────────────

  /** {@link Router.upsertAgent}, through the log. `at` defaults to this process's clock. */
  upsertAgent(spec: AgentSpec, at?: number): Promise<Decision[]> {
    return this.#call('upsertAgent', [spec, at]);
  }

  /** {@link Router.setStatus}, through the log. */
  setStatus(agentId: string, status: AgentStatus, at?: number): Promise<Decision[]> {
    return this.#call('setStatus', [agentId, status, at]);
  }

  /** {@link Router.setPending}, through the log. */
  setPending(agentId: string, pending: number): Promise<void> {
    return this.#call('setPending', [agentId, pending]);
  }

  /** {@link Router.removeAgent}, through the log. */
  removeAgent(agentId: string, at?: number): Promise<Decision[]> {
    return this.#call('removeAgent', [agentId, at]);
  }

  /** {@link Router.route}, through the log. `consultation.at` defaults to this process's clock. */
  route(consultation: Consultation): Promise<Decision> {
    return this.#call('route', [consultation]);
  }

  /** {@link Router.hold}, through the log. */
  hold(customerId: string, at?: number): Promise<Decision[]> {
    return this.#call('hold', [customerId, at]);
  }

  /** {@link Router.resume}, through the log. */
  resume(customerId: string, at?: number): Promise<Decision[]> {
    return this.#call('resume', [customerId, at]);
  }

  /** {@link Router.escalate}, through the log. */
  escalate(customerId: string, options?: EscalateOptions | number): Promise<Decision> {
    return this.#call('escalate', [customerId, options]);
  }

  /** {@link Router.reroute}, through the log. `request.at` defaults to this process's clock. */
  reroute(customerId: string, request: RerouteRequest): Promise<Decision[]> {
    return this.#call('reroute', [customerId, request]);
  }

  /** {@link Router.end}, through the log. */
  end(customerId: string, at?: number): Promise<Decision[]> {
    return this.#call('end', [customerId, at]);
  }

  /** {@link Router.customerMessage}, through the log. */
  customerMessage(customerId: string, at?: number): Promise<void> {
    return this.#call('customerMessage', [customerId, at]);
  }

  /** {@link Router.agentReply}, through the log. */
  agentReply(customerId: string, at?: number): Promise<void> {
    return this.#call('agentReply', [customerId, at]);
  }

  /**
   * {@link Router.advance}, through the log: fires the deadlines due by `at` (default: this
   * process's clock). Every process may keep a timer on {@link RedisRouter.nextDeadline} and call
   * it: the log orders the calls, so each deadline fires once, in the first `advance` entry that
   * reaches it, and only that call's promise gets its decisions (later ones find nothing due).
   */
  advance(at?: number): Promise<Decision[]> {
    return this.#call('advance', [at]);
  }

  #call<T>(op: Op, args: unknown[]): Promise<T> {
    const core = this.#source.core();
    return (core instanceof ShopCore ? core.call(op, args) : core.then((c) => c.call(op, args))) as Promise<T>;
  }

  // ───────────────────────────── reads (local replica) ─────────────────────────────

  /** A read-only copy of one agent from this process's replica, or `undefined`. */
  getAgent(agentId: string): AgentView | undefined {
    return this.#source.live().replica.getAgent(agentId);
  }

  /** Read-only copies of every agent from this process's replica. */
  agents(): AgentView[] {
    return this.#source.live().replica.agents();
  }

  /** {@link Router.nextDeadline} of this process's replica: when to call `advance` next. */
  nextDeadline(): number | undefined {
    return this.#source.live().replica.nextDeadline();
  }

  /** {@link Router.consultation} from this process's replica. */
  consultation(customerId: string): ConsultationView | undefined {
    return this.#source.live().replica.consultation(customerId);
  }

  /** The waiting queue from this process's replica. */
  queue(): QueuedView[] {
    return this.#source.live().replica.queue();
  }

  /** This replica's routing state; identical on every replica at the same {@link position}. */
  snapshot(): RouterSnapshot {
    return this.#source.live().snapshot();
  }

  /** The id of the last log entry this replica applied. */
  get position(): string {
    return this.#source.live().replica.position;
  }

  /** How many log entries this replica has applied since the log began (malformed and rejected ones included). */
  get count(): number {
    return this.#source.live().replica.count;
  }

  /**
   * Waits until this replica has applied every entry appended before the call, so that reads
   * afterwards see other processes' completed calls.
   */
  async sync(): Promise<void> {
    await (await this.#source.core()).sync();
  }

  /**
   * Stops following the log: new calls reject with `CLOSED`; calls in flight get up to
   * `closeTimeoutMs` to be applied, then reject with `OUTCOME_UNKNOWN`. For `RedisRouter.open`,
   * closes the duplicated connections, never the one passed to `open`; for a shop of
   * `RedisShops`, drops the shop from memory now, as idleness would.
   */
  close(): Promise<void> {
    return this.#source.close();
  }
}
