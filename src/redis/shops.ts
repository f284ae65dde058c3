import type { RouterOptions } from '../index.js';
import { RedisRouterError } from './errors.js';
import { checkKeyPart, shopKeys } from './keys.js';
import { Link, type RedisConnection } from './link.js';
import { resolveLog, resolveRouting, type LogOptions, type ResolvedLog } from './options.js';
import { POLL_MS, routerOf, type RedisRouter } from './redis-router.js';
import { ShopCore, within, type RedisRouterEvent } from './shop.js';
import { expected } from '../errors.js';

/** The argument of {@link RedisShops.open}. */
export interface RedisShopsOptions extends LogOptions {
  /**
   * The connection to use. It is duplicated twice and never used itself, whatever the number of
   * shops: one duplicate carries every shop's appends and reads, the other listens for every
   * shop's new entries. For a cluster, pass an ioredis `Cluster`: each duplicate holds one
   * connection per node (the listener one more). `close()` closes the duplicates only.
   */
  redis: RedisConnection;
  /**
   * Each shop's routing settings, the same for all shops or a function of the shop id (sync or
   * async, called when a shop opens). A function that returns `undefined` does not know the
   * shop: `shop()` rejects with `UNKNOWN_SHOP` before anything is written. As with
   * `RedisRouter.open`, the first opener's settings are stored and later ones must match.
   * @default the settings stored for each shop, or `Router`'s defaults for a new one
   */
  options?: (RouterOptions | ((shopId: string) => RouterOptions | undefined | Promise<RouterOptions | undefined>)) | undefined;
  /**
   * A shop with no call, read or `sync()` for this long (ms, on this process's monotonic clock;
   * routing time is not involved), and nothing in flight, is dropped from memory, after storing a snapshot if its replica is past the stored one; used again,
   * it reopens from that snapshot and the log after it.
   * @default 300000
   */
  idleMs?: number | undefined;
  /** Called for every {@link RedisRouterEvent} of every shop, with the shop's id. Exceptions it throws are ignored. */
  onEvent?: ((event: RedisRouterEvent, shopId: string) => void) | undefined;
}

interface Entry {
  /** The shop's replica while it is in memory. */
  core: ShopCore | undefined;
  /** Set while the shop opens: concurrent first uses share one opening. */
  opening: Promise<ShopCore> | undefined;
  /** When the shop was last used (ms, `performance.now()`): idleness is measured from it. */
  used: number;
  /** The handle `shop()` gives out while the shop is in memory. */
  handle: RedisRouter | undefined;
}

/**
 * Many shops in one process, over one Redis or one Redis Cluster, on a fixed number of
 * connections. Each shop is a `RedisRouter` — a replica of the shop's log, as consistent across
 * processes as one opened alone — opened when first used and dropped from memory when idle.
 * Place each shop on few processes (by shop id behind the load balancer): every process serving
 * a shop applies all of its entries. See docs/scaling.md.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisShops } from 'fenliu/redis';
 *
 * const redis = new Redis(6379, '127.0.0.1');
 * const host = await RedisShops.open({ redis, options: (shopId) => settingsFromYourDatabase(shopId) });
 * const shop = await host.shop('tmall-12345');
 * const decision = await shop.route({ customerId: 'buyer-1', orderState: 'unpaid' });
 * await host.close();
 * redis.disconnect();
 * ```
 */
export class RedisShops {
  readonly #link: Link;
  readonly #log: ResolvedLog;
  readonly #options: RedisShopsOptions['options'];
  readonly #idleMs: number;
  readonly #onEvent: RedisShopsOptions['onEvent'];
  /** The shops in memory or opening, by id, least recently used first; a dropped shop has no entry. */
  readonly #entries = new Map<string, Entry>();
  /** The shops dropped whose replica is still closing: a reopening waits for it, so a shop has one replica here at a time. */
  readonly #closing = new Map<string, Promise<void>>();
  readonly #sweep: ReturnType<typeof setInterval>;
  #closed = false;

  private constructor(o: RedisShopsOptions, log: ResolvedLog, idleMs: number) {
    this.#log = log;
    this.#options = o.options;
    this.#idleMs = idleMs;
    this.#onEvent = o.onEvent;
    this.#link = new Link(o.redis, POLL_MS);
    this.#sweep = setInterval(() => this.#dropIdle(), Math.max(10, Math.min(idleMs / 4, 30_000)));
    this.#sweep.unref?.();
  }

  /**
   * A host for many shops on `redis`. Opens no shop: each opens on its first {@link shop} call.
   * @throws {RoutingError} `INVALID_OPTION` for bad options (routing settings are checked as each shop opens).
   */
  static async open(options: RedisShopsOptions): Promise<RedisShops> {
    if (typeof options !== 'object' || options === null) throw expected('INVALID_OPTION', 'options', 'an object', options);
    const log = resolveLog(options);
    checkKeyPart('prefix', log.prefix);
    const { options: routing, idleMs = 300_000 } = options;
    if (typeof routing !== 'function') resolveRouting(routing);
    if (typeof idleMs !== 'number' || !(idleMs >= 1)) throw expected('INVALID_OPTION', 'idleMs', 'a number >= 1', idleMs);
    return new RedisShops(options, log, idleMs);
  }

  /**
   * The shop `shopId`, opened (from its snapshot and log) if it is not in memory. The handle has
   * `RedisRouter`'s methods; a call on it reopens the shop if it was dropped meanwhile, while its
   * synchronous reads (`agents()`, …) throw `CLOSED` then — get the handle again before reading.
   * Its `close()` drops the shop from memory now.
   *
   * @throws {RoutingError} `INVALID_ARGUMENT` for a malformed shop id; those of `RedisRouter.open`.
   * @throws {RedisRouterError} `UNKNOWN_SHOP` when the `options` function does not know it; `CLOSED` after `close()`.
   */
  async shop(shopId: string): Promise<RedisRouter> {
    this.#check(shopId);
    await this.#core(shopId);
    const entry = this.#entries.get(shopId);
    // A handle is bound to the shop id, not to this opening: kept after a drop, it reopens the shop.
    if (entry !== undefined) entry.handle ??= this.#handle(shopId);
    return entry?.handle ?? this.#handle(shopId);
  }

  /** How many shops are in memory (open or opening). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Closes every shop (each waits up to `closeTimeoutMs` for its calls in flight and stores a
   * snapshot if it is past the stored one), then the host's connections. Later calls reject with
   * `CLOSED`. Shops still opening get up to `closeTimeoutMs` to open, and the closing of all of
   * them up to twice that, so that it ends with Redis unreachable too.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweep);
    const ms = this.#log.closeTimeoutMs;
    await within(Promise.allSettled([...this.#entries.values()].map((e) => e.opening)), ms);
    const drops = [...this.#entries.keys()].map((id) => this.#drop(id));
    // With shops dropped before, still closing (their calls settling, their snapshots being stored).
    await within(Promise.allSettled([...drops, ...this.#closing.values()]), 2 * ms);
    await this.#link.close();
  }

  #check(shopId: string): void {
    if (this.#closed) throw new RedisRouterError('CLOSED', `Expected the RedisShops host to be open, got a call for shop ${JSON.stringify(shopId)} after close()`);
    checkKeyPart('shopId', shopId, 'INVALID_ARGUMENT');
  }

  #core(shopId: string): ShopCore | Promise<ShopCore> {
    if (this.#closed) return Promise.reject(new RedisRouterError('CLOSED', `Expected the RedisShops host to be open, got a call for shop ${JSON.stringify(shopId)} after close()`));
    const found = this.#entries.get(shopId);
    if (found !== undefined && found.core?.failure === undefined) {
      this.#touch(shopId, found);
      return found.core ?? (found.opening as Promise<ShopCore>);
    }
    // A shop whose replica stopped on an unrecoverable log is opened again: it fails the same way
    // until the snapshot is back, and then follows the log again.
    if (found !== undefined) void this.#drop(shopId);
    const entry: Entry = { core: undefined, opening: undefined, used: performance.now(), handle: undefined };
    this.#entries.set(shopId, entry);
    const closing = this.#closing.get(shopId);
    const opened = closing === undefined ? this.#openShop(shopId) : closing.then(() => this.#openShop(shopId), () => this.#openShop(shopId));
    entry.opening = opened.then(
      async (core) => {
        entry.opening = undefined;
        if (this.#entries.get(shopId) !== entry) {
          // Dropped or closed while it opened: do not keep it.
          await core.close();
          throw new RedisRouterError('CLOSED', `Expected shop ${JSON.stringify(shopId)} to stay open, got close() while it opened`);
        }
        entry.core = core;
        return core;
      },
      (error: unknown) => {
        if (this.#entries.get(shopId) === entry) this.#entries.delete(shopId);
        throw error;
      },
    );
    return entry.opening;
  }

  async #openShop(shopId: string): Promise<ShopCore> {
    const given = this.#options;
    const routing = typeof given === 'function' ? await given(shopId) : given;
    if (typeof given === 'function' && routing === undefined) {
      throw new RedisRouterError('UNKNOWN_SHOP', `Expected a shop id the \`options\` function knows, got ${JSON.stringify(shopId)}; nothing was written`);
    }
    const onEvent = this.#onEvent;
    return ShopCore.open(this.#link, {
      ...this.#log, ...resolveRouting(routing, 'options(shopId)'), shopId, keys: shopKeys(this.#log.prefix, shopId),
      onEvent: onEvent === undefined ? undefined : (event) => onEvent(event, shopId),
    });
  }

  #handle(shopId: string): RedisRouter {
    return routerOf({ core: () => this.#core(shopId), live: () => this.#live(shopId), close: () => this.#drop(shopId) });
  }

  #live(shopId: string): ShopCore {
    const entry = this.#entries.get(shopId);
    if (entry?.core === undefined) {
      throw new RedisRouterError('CLOSED', `Expected shop ${JSON.stringify(shopId)} to be in memory for a read, but it was dropped (idle for idleMs, or closed); \`await host.shop(id)\` or any call reopens it`);
    }
    this.#touch(shopId, entry);
    return entry.core;
  }

  /** The shop was used now: it goes to the back of `#entries`, which is so in the order of last use. */
  #touch(shopId: string, entry: Entry): void {
    entry.used = performance.now();
    this.#entries.delete(shopId);
    this.#entries.set(shopId, entry);
  }

  async #drop(shopId: string): Promise<void> {
    const entry = this.#entries.get(shopId);
    if (entry === undefined) return;
    this.#entries.delete(shopId);
    // A shop dropped while it opens closes once open (see #core): a reopening waits for that too.
    const closing = entry.core?.close(true) ?? entry.opening?.then(() => undefined, () => undefined);
    if (closing === undefined) return;
    this.#closing.set(shopId, closing);
    try {
      await closing;
    } finally {
      if (this.#closing.get(shopId) === closing) this.#closing.delete(shopId);
    }
  }

  /** Drops the shops idle for `idleMs`, least recently used first, up to the first one used since: O(shops dropped + busy ones passed). */
  #dropIdle(): void {
    const now = performance.now();
    for (const [shopId, entry] of this.#entries) {
      if (now - entry.used < this.#idleMs) return;
      if (entry.core !== undefined && !entry.core.busy) void this.#drop(shopId);
    }
  }
}
