import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { Router, RoutingError } from '../index.js';
import type {
  AgentSpec,
  AgentStatus,
  AgentView,
  Consultation,
  Decision,
  QueuedView,
  RerouteRequest,
  RouterOptions,
  RouterSnapshot,
} from '../index.js';
import { encodeEntry, OPS, type Op } from './entry.js';
import { describeValue, RedisRouterError } from './errors.js';
import { checkKeyPart, compareIds, LOG_START, shopKeys, type ShopKeys } from './keys.js';
import { ShopReplica, type StoredSnapshot } from './replica.js';
import { SAVE_SNAPSHOT } from './scripts.js';

/** A connection `RedisRouter` can use: an ioredis client or cluster. */
export type RedisConnection = Redis | Cluster;

/** Something that happened to a shop's replica, for logging and monitoring. Narrow on `type`. */
export type RedisRouterEvent =
  /** A log entry every replica rejected: malformed (`MALFORMED_ENTRY`) or refused by the Router. `own`: this process appended it. */
  | { type: 'rejected'; entryId: string; op: string | undefined; error: RoutingError | RedisRouterError; own: boolean }
  /** The log was trimmed past this replica's position; it reloaded from the snapshot at `to`. */
  | { type: 'reloaded'; from: string; to: string }
  /** This process stored a snapshot at entry `entryId` and trimmed the log behind the previous one. */
  | { type: 'snapshot'; entryId: string; count: number }
  /** A connection or storage error the replica recovers from by retrying; `LOG_UNRECOVERABLE` stops it. */
  | { type: 'error'; error: Error };

/** The argument of {@link RedisRouter.open}. */
export interface RedisRouterOpenOptions {
  /**
   * The connection to use. It is duplicated twice and never used itself: one duplicate blocks on
   * XREAD, the other appends. `close()` closes the duplicates only. (ioredis re-sends an append
   * that was in flight across a reconnect; the replicas skip the second copy by its request id.)
   */
  redis: RedisConnection;
  /** The shop (店铺): one log, one routing state. Any non-empty string without braces. */
  shopId: string;
  /**
   * The shop's routing settings. The first process to open a shop stores them; every later one
   * must pass the same (or none, to adopt the stored ones) — otherwise replicas would decide
   * differently. `clock` stays local: it gives the default `at` of this process's calls.
   * @default the settings stored for the shop, or `Router`'s defaults for a new shop
   */
  options?: RouterOptions;
  /**
   * Store a snapshot every this many log entries (the process whose call lands on the multiple
   * stores it) and trim the log behind it. 0: this process never stores one. A snapshot costs
   * time in proportion to the shop's state (agents, open consultations, contact memory).
   * @default 10000
   */
  snapshotEvery?: number;
  /**
   * How long log entries stay after a snapshot covers them (ms, by Redis's clock): a replica that
   * falls behind by less than this keeps reading the log; one further behind reloads from the
   * snapshot (and its calls in flight then reject with `DECISION_LOST`).
   * @default 10000
   */
  retainMs?: number;
  /** Log entries read per XREAD. @default 1000 */
  batchSize?: number;
  /** The key prefix. @default 'fenliu' */
  prefix?: string;
  /** How long `close()` waits for calls in flight before giving up on them (ms). @default 5000 */
  closeTimeoutMs?: number;
  /** Called for every {@link RedisRouterEvent}. Exceptions it throws are ignored. */
  onEvent?: (event: RedisRouterEvent) => void;
}

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  /** The entry id XADD returned; `undefined` until it answers. */
  id: string | undefined;
  /** The XADD failed: whether the entry reached the log is being settled. */
  uncertain: boolean;
}

/** How long a blocking XREAD waits before it is re-issued (ms); any value works, this bounds idle reconnect checks. */
const BLOCK_MS = 5_000;

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
  readonly #keys: ShopKeys;
  readonly #reader: RedisConnection;
  readonly #writer: RedisConnection;
  readonly #clock: () => number;
  readonly #snapshotEvery: number;
  readonly #retainMs: number;
  readonly #batchSize: number;
  readonly #closeTimeoutMs: number;
  readonly #onEvent: ((event: RedisRouterEvent) => void) | undefined;
  /** Unique per instance, so request ids never collide across processes or restarts. */
  readonly #clientId = randomUUID();
  #calls = 0;
  /** Replaced whole on reload; otherwise changed only by applying the log in order. */
  #replica: ShopReplica;
  /** The id of the newest trim record seen: the next XREAD asks for newer ones only. */
  #trimSeen = LOG_START;
  /** Calls of this process whose entries are not applied yet, by request id. */
  readonly #pending = new Map<string, Pending>();
  /** `sync()` and settling waits: resolved once the replica's position reaches `id`. */
  #waiters: { id: string; resolve: () => void }[] = [];
  #idle: (() => void)[] = [];
  #closing = false;
  /** Set once the replica stops applying: at close, or when the log is unrecoverable. */
  #stopped = false;
  #loopDone: Promise<void> = Promise.resolve();

  private constructor(o: Resolved, replica: ShopReplica, reader: RedisConnection, writer: RedisConnection) {
    this.#keys = o.keys;
    this.#clock = o.clock;
    this.#snapshotEvery = o.snapshotEvery;
    this.#retainMs = o.retainMs;
    this.#batchSize = o.batchSize;
    this.#closeTimeoutMs = o.closeTimeoutMs;
    this.#onEvent = o.onEvent;
    this.#replica = replica;
    this.#reader = reader;
    this.#writer = writer;
  }

  /**
   * Opens a shop: loads its latest snapshot, replays the log after it, and starts following the
   * log. Resolves once the replica has caught up with the log as it was when `open` was called.
   *
   * @throws {RoutingError} `INVALID_OPTION` for bad options, or options other than the shop's stored ones;
   *   `INVALID_SNAPSHOT` for a corrupted stored snapshot.
   * @throws {RedisRouterError} `LOG_UNRECOVERABLE` when the log was trimmed and no snapshot covers it.
   */
  static async open(options: RedisRouterOpenOptions): Promise<RedisRouter> {
    const o = resolve(options);
    const writer = duplicate(o.redis);
    const reader = duplicate(o.redis);
    try {
      // SET NX: the first opener's settings become the shop's; later openers are checked against them.
      if (o.settings !== undefined) await writer.call('SET', o.keys.options, o.settings, 'NX');
      const stored = (await writer.call('GET', o.keys.options)) as string | null;
      if (o.settings !== undefined && stored !== null && stored !== o.settings) {
        throw new RoutingError('INVALID_OPTION', `Expected \`options\` to match the settings shop ${JSON.stringify(o.shopId)} was first opened with (${stored}), got ${o.settings}; every process of a shop must route by the same settings`, 'options');
      }
      const snapshot = await readSnapshot(writer, o.keys);
      const replica = snapshot === undefined
        ? ShopReplica.create(stored === null ? {} : (JSON.parse(stored) as RouterOptions))
        : ShopReplica.restore(snapshot);
      const shop = new RedisRouter(o, replica, reader, writer);
      // Catch up without blocking: the first empty read means the log as of now is applied.
      while ((await shop.#read(false)) > 0);
      shop.#loopDone = shop.#loop();
      return shop;
    } catch (error) {
      writer.disconnect();
      reader.disconnect();
      throw error;
    }
  }

  // ───────────────────────────── mutating calls (through the log) ─────────────────────────────

  /** {@link Router.upsertAgent}, through the log. `at` defaults to this process's clock. */
  upsertAgent(spec: AgentSpec, at?: number): Promise<Decision[]> {
    return this.#call('upsertAgent', [spec], at, 'at');
  }

  /** {@link Router.setStatus}, through the log. */
  setStatus(agentId: string, status: AgentStatus, at?: number): Promise<Decision[]> {
    return this.#call('setStatus', [agentId, status], at, 'at');
  }

  /** {@link Router.setPending}, through the log. */
  setPending(agentId: string, pending: number): Promise<void> {
    return this.#call('setPending', [agentId, pending], undefined, '');
  }

  /** {@link Router.removeAgent}, through the log. */
  removeAgent(agentId: string, at?: number): Promise<Decision[]> {
    return this.#call('removeAgent', [agentId], at, 'at');
  }

  /** {@link Router.route}, through the log. `consultation.at` defaults to this process's clock. */
  route(consultation: Consultation): Promise<Decision> {
    if (typeof consultation !== 'object' || consultation === null || Array.isArray(consultation)) {
      return this.#call('route', [consultation], undefined, 'consultation.at');
    }
    const { at, ...rest } = consultation;
    return this.#call('route', [rest], at, 'consultation.at');
  }

  /** {@link Router.escalate}, through the log. */
  escalate(customerId: string, at?: number): Promise<Decision> {
    return this.#call('escalate', [customerId], at, 'at');
  }

  /** {@link Router.reroute}, through the log. `request.at` defaults to this process's clock. */
  reroute(customerId: string, request: RerouteRequest): Promise<Decision[]> {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return this.#call('reroute', [customerId, request], undefined, 'request.at');
    }
    const { at, ...rest } = request;
    return this.#call('reroute', [customerId, rest], at, 'request.at');
  }

  /** {@link Router.end}, through the log. */
  end(customerId: string, at?: number): Promise<Decision[]> {
    return this.#call('end', [customerId], at, 'at');
  }

  // ───────────────────────────── reads (local replica) ─────────────────────────────

  /** A read-only copy of one agent from this process's replica, or `undefined`. */
  getAgent(agentId: string): AgentView | undefined {
    return this.#replica.getAgent(agentId);
  }

  /** Read-only copies of every agent from this process's replica. */
  agents(): AgentView[] {
    return this.#replica.agents();
  }

  /** The waiting queue from this process's replica. */
  queue(): QueuedView[] {
    return this.#replica.queue();
  }

  /** This replica's routing state; identical on every replica at the same {@link position}. */
  snapshot(): RouterSnapshot {
    return this.#replica.snapshot().router;
  }

  /** The id of the last log entry this replica applied. */
  get position(): string {
    return this.#replica.position;
  }

  /** How many log entries this replica has applied since the log began (malformed and rejected ones included). */
  get count(): number {
    return this.#replica.count;
  }

  /**
   * Waits until this replica has applied every entry appended before the call, so that reads
   * afterwards see other processes' completed calls.
   */
  async sync(): Promise<void> {
    if (this.#closing) throw new RedisRouterError('CLOSED', 'Expected the RedisRouter to be open, got a sync() after close()');
    await this.#reach(await this.#lastId());
  }

  /**
   * Stops following the log: new calls reject with `CLOSED`; calls in flight get up to
   * `closeTimeoutMs` to be applied, then reject with `OUTCOME_UNKNOWN`. Closes the duplicated
   * connections, never the one passed to `open`.
   */
  async close(): Promise<void> {
    if (this.#closing) return this.#loopDone;
    this.#closing = true;
    if (this.#pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => this.#idle.push(r)),
        new Promise<void>((r) => { timer = setTimeout(r, this.#closeTimeoutMs); }),
      ]);
      clearTimeout(timer);
    }
    this.#stop(new RedisRouterError('OUTCOME_UNKNOWN', 'Expected the call to be applied before close() gave up waiting; it may or may not be in the log'));
    this.#reader.disconnect();
    await this.#loopDone;
    // QUIT lets a snapshot being stored finish; with Redis unreachable it would wait for the
    // reconnects, so give it a second. A cut-off snapshot is harmless: the script is atomic.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#writer.quit().catch(() => undefined), new Promise((r) => { timer = setTimeout(r, 1_000); })]);
    clearTimeout(timer);
    this.#writer.disconnect();
  }

  // ───────────────────────────── appending ─────────────────────────────

  #call<T>(op: Op, args: unknown[], at: unknown, atField: string): Promise<T> {
    if (this.#closing) return Promise.reject(new RedisRouterError('CLOSED', `Expected the RedisRouter to be open, got a ${op}() after close()`));
    let t: number | undefined;
    if (OPS[op].timed) {
      t = at === undefined ? this.#clock() : (at as number);
      if (typeof t !== 'number' || !Number.isFinite(t)) {
        const field = at === undefined ? 'options.clock()' : atField;
        return Promise.reject(new RoutingError(at === undefined ? 'INVALID_OPTION' : 'INVALID_ARGUMENT', `Expected \`${field}\` to be a finite number, got ${describeValue(t)}`, field));
      }
    }
    const rid = `${this.#clientId}:${++this.#calls}`;
    let fields: string[];
    try {
      fields = encodeEntry(op, rid, t, args);
    } catch (error) {
      return Promise.reject(new RoutingError('INVALID_ARGUMENT', `Expected the arguments of ${op}() to be plain data (JSON), got ${(error as Error).message}`, 'arguments'));
    }
    return new Promise<T>((resolve, reject) => {
      const p: Pending = { resolve: resolve as (value: never) => void, reject, id: undefined, uncertain: false };
      this.#pending.set(rid, p);
      (this.#writer.call('XADD', this.#keys.log, '*', ...fields) as Promise<string>).then(
        (id) => {
          if (this.#pending.get(rid) !== p) return;
          p.id = id;
          // The replica moved past the entry without applying it: only a reload does that.
          if (compareIds(id, this.#replica.position) <= 0) this.#settle(rid, new RedisRouterError('DECISION_LOST', `Expected this replica to apply entry ${id} of ${op}(), but it reloaded from a later snapshot: the call was applied, its decision is not known here`, id));
        },
        (error: unknown) => {
          if (this.#pending.get(rid) !== p) return;
          p.uncertain = true;
          void this.#settleUncertain(rid, p, error);
        },
      );
    });
  }

  /**
   * An append failed, possibly after Redis had written it. Find out from the log itself: once
   * the replica has applied everything up to the log's last entry as Redis now has it, an entry
   * of ours that is not among them never made it (fenliu never re-sends an append).
   */
  async #settleUncertain(rid: string, p: Pending, cause: unknown): Promise<void> {
    let delay = 50;
    while (this.#pending.get(rid) === p && !this.#stopped) {
      let last: string;
      try {
        last = await this.#lastId();
      } catch {
        await sleep(delay);
        delay = Math.min(delay * 2, 1_000);
        continue;
      }
      await this.#reach(last);
      if (this.#pending.get(rid) === p && !this.#stopped) {
        this.#settle(rid, new RedisRouterError('NOT_APPLIED', `Expected the append to reach the log, got ${String((cause as Error | undefined)?.message ?? cause)}; the log does not hold it, so nothing happened and the call is safe to retry`));
      }
    }
  }

  async #lastId(): Promise<string> {
    const last = (await this.#writer.call('XREVRANGE', this.#keys.log, '+', '-', 'COUNT', '1')) as [string, unknown][];
    return last[0]?.[0] ?? LOG_START;
  }

  #settle(rid: string, error: Error | undefined, value?: unknown): void {
    const p = this.#pending.get(rid);
    if (p === undefined) return;
    this.#pending.delete(rid);
    if (error === undefined) p.resolve(value as never);
    else p.reject(error);
    if (this.#pending.size === 0) for (const r of this.#idle.splice(0)) r();
  }

  // ───────────────────────────── following the log ─────────────────────────────

  async #loop(): Promise<void> {
    let delay = 50;
    while (!this.#stopped) {
      try {
        await this.#read(true);
        delay = 50;
      } catch (error) {
        if (this.#stopped) break;
        if (error instanceof RedisRouterError && error.code === 'LOG_UNRECOVERABLE') {
          this.#emit({ type: 'error', error });
          this.#stop(error);
          break;
        }
        this.#emit({ type: 'error', error: error as Error });
        await sleep(delay);
        delay = Math.min(delay * 2, 1_000);
      }
    }
  }

  /**
   * One XREAD of the log and the trim records together — atomic, so a trim that removed entries
   * after our position is seen in the same reply as the entries after the gap. Returns how many
   * log entries it applied.
   */
  async #read(block: boolean): Promise<number> {
    const k = this.#keys;
    const args: (string | number)[] = ['COUNT', this.#batchSize];
    if (block) args.push('BLOCK', BLOCK_MS);
    args.push('STREAMS', k.log, k.trims, this.#replica.position, this.#trimSeen);
    const reply = (await this.#reader.call('XREAD', ...args)) as [string, [string, unknown[]][]][] | null;
    if (reply === null || this.#stopped) return 0;
    let entries: [string, unknown[]][] = [];
    for (const [key, items] of reply) {
      if (key === k.log) {
        entries = items;
      } else if (key === k.trims && items.length > 0) {
        const [id, fields] = items[items.length - 1] as [string, unknown[]];
        this.#trimSeen = id;
        const minid = fields[0] === 'minid' ? String(fields[1]) : undefined;
        if (minid !== undefined && /^\d+-\d+$/.test(minid) && compareIds(minid, this.#replica.position) > 0) {
          // Entries between our position and the trim point may be gone: the snapshot stored
          // with that trim covers them. The entries of this reply are read again after it.
          await this.#reload(minid);
          return 1;
        }
      }
    }
    for (const [id, fields] of entries) {
      const applied = this.#replica.apply(id, fields, k.log);
      const own = this.#pending.has(applied.rid);
      if (applied.ok) {
        if (own) this.#settle(applied.rid, undefined, applied.value);
      } else {
        if (own) this.#settle(applied.rid, applied.error);
        this.#emit({ type: 'rejected', entryId: id, op: applied.op, error: applied.error, own });
      }
      // One writer per snapshot, chosen by the log itself: the process whose call is the
      // snapshotEvery-th entry. The script refuses to move the stored snapshot backwards.
      if (this.#snapshotEvery > 0 && this.#replica.count % this.#snapshotEvery === 0 && applied.rid.startsWith(`${this.#clientId}:`)) {
        this.#storeSnapshot();
      }
    }
    this.#wake();
    return entries.length;
  }

  async #reload(trimmedTo: string): Promise<void> {
    const stored = await readSnapshot(this.#writer, this.#keys).catch((error: unknown) => {
      throw new RedisRouterError('LOG_UNRECOVERABLE', `Expected a readable snapshot of ${this.#keys.snapshot} after the log was trimmed: ${(error as Error).message}`);
    });
    if (stored === undefined || compareIds(stored.id, trimmedTo) < 0) {
      throw new RedisRouterError('LOG_UNRECOVERABLE', `Expected ${this.#keys.snapshot} to cover the log up to ${trimmedTo}, where it was trimmed, got ${stored === undefined ? 'no snapshot' : `a snapshot at ${stored.id}`}; this replica at ${this.#replica.position} cannot catch up`);
    }
    const from = this.#replica.position;
    this.#replica = ShopReplica.restore(stored);
    const to = this.#replica.position;
    for (const [rid, p] of [...this.#pending]) {
      if (p.id !== undefined && compareIds(p.id, to) <= 0) {
        this.#settle(rid, new RedisRouterError('DECISION_LOST', `Expected this replica to apply entry ${p.id}, but it fell behind the trimmed log and reloaded from the snapshot at ${to}: the call was applied, its decision is not known here`, p.id));
      } else if (p.uncertain) {
        this.#settle(rid, new RedisRouterError('OUTCOME_UNKNOWN', `Expected to settle a failed append, but this replica reloaded from the snapshot at ${to}; the call may or may not be in it`));
      }
    }
    this.#emit({ type: 'reloaded', from, to });
  }

  #storeSnapshot(): void {
    const s = this.#replica.snapshot();
    const k = this.#keys;
    const data = JSON.stringify({ clients: s.clients, router: s.router });
    (this.#writer.call('EVAL', SAVE_SNAPSHOT, 3, k.snapshot, k.log, k.trims, s.id, String(s.count), data, String(this.#retainMs)) as Promise<number>).then(
      (stored) => { if (stored === 1) this.#emit({ type: 'snapshot', entryId: s.id, count: s.count }); },
      (error: unknown) => this.#emit({ type: 'error', error: error as Error }),
    );
  }

  #reach(id: string): Promise<void> {
    if (this.#stopped || compareIds(this.#replica.position, id) >= 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ id, resolve }));
  }

  #wake(): void {
    if (this.#waiters.length === 0) return;
    const position = this.#replica.position;
    this.#waiters = this.#waiters.filter((w) => {
      if (!this.#stopped && compareIds(position, w.id) < 0) return true;
      w.resolve();
      return false;
    });
  }

  #stop(error: Error): void {
    this.#stopped = true;
    for (const rid of [...this.#pending.keys()]) this.#settle(rid, error);
    this.#wake();
  }

  #emit(event: RedisRouterEvent): void {
    try {
      this.#onEvent?.(event);
    } catch {
      // A listener's bug must not stop the replica: the log has to be applied regardless.
    }
  }
}

interface Resolved {
  redis: RedisConnection;
  shopId: string;
  keys: ShopKeys;
  /** The canonical JSON of the given routing settings; `undefined` to adopt the stored ones. */
  settings: string | undefined;
  clock: () => number;
  snapshotEvery: number;
  retainMs: number;
  batchSize: number;
  closeTimeoutMs: number;
  onEvent: ((event: RedisRouterEvent) => void) | undefined;
}

function resolve(options: RedisRouterOpenOptions): Resolved {
  const bad = (field: string, what: string, got: unknown): RoutingError =>
    new RoutingError('INVALID_OPTION', `Expected \`${field}\` to be ${what}, got ${describeValue(got)}`, field);
  if (typeof options !== 'object' || options === null) throw bad('options', 'an object', options);
  const { redis, shopId, options: routing, snapshotEvery = 10_000, retainMs = 10_000, batchSize = 1000, prefix = 'fenliu', closeTimeoutMs = 5000, onEvent } = options;
  if (typeof redis !== 'object' || redis === null || typeof redis.call !== 'function' || typeof redis.duplicate !== 'function') {
    throw bad('redis', 'an ioredis Redis or Cluster', redis);
  }
  const count = (field: string, v: unknown, min: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(field, `an integer >= ${min}`, v);
    return v;
  };
  if (onEvent !== undefined && typeof onEvent !== 'function') throw bad('onEvent', 'a function', onEvent);
  let settings: string | undefined;
  let clock: () => number = Date.now;
  if (routing !== undefined) {
    if (typeof routing !== 'object' || routing === null || Array.isArray(routing)) throw bad('options', 'an object of RouterOptions', routing);
    const { clock: given, ...rest } = routing;
    if (given !== undefined) clock = given;
    // The snapshot's options are the Router's own canonical, validated form of the settings.
    settings = JSON.stringify(new Router(rest).snapshot().options);
  }
  const id = checkKeyPart('shopId', shopId);
  return {
    redis, shopId: id, keys: shopKeys(checkKeyPart('prefix', prefix), id), settings, clock,
    snapshotEvery: count('snapshotEvery', snapshotEvery, 0),
    retainMs: count('retainMs', retainMs, 0),
    batchSize: count('batchSize', batchSize, 1),
    closeTimeoutMs: count('closeTimeoutMs', closeTimeoutMs, 0),
    onEvent,
  };
}

/**
 * A duplicate of the caller's connection, for a cluster too. It keeps ioredis's default
 * `autoResendUnfulfilledCommands: true`: with `false`, ioredis drops a command in flight at a
 * disconnect without settling its promise, which would leave a call hanging.
 */
function duplicate(redis: RedisConnection): RedisConnection {
  const copy = redis.isCluster ? (redis as Cluster).duplicate() : (redis as Redis).duplicate();
  // Errors surface through the commands and the 'error' event of RedisRouter; without a
  // listener ioredis would print every failed reconnect attempt.
  copy.on('error', () => {});
  return copy;
}

async function readSnapshot(redis: RedisConnection, keys: ShopKeys): Promise<StoredSnapshot | undefined> {
  const flat = (await redis.call('HGETALL', keys.snapshot)) as string[];
  if (flat.length === 0) return undefined;
  const h = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) h.set(flat[i] as string, flat[i + 1] as string);
  let data: { clients?: unknown; router?: unknown } | null;
  try {
    data = JSON.parse(h.get('data') ?? '') as typeof data;
  } catch {
    data = null;
  }
  if (typeof data !== 'object' || data === null) {
    throw new RoutingError('INVALID_SNAPSHOT', `Expected field \`data\` of ${keys.snapshot} to be the JSON of { clients, router }`, 'snapshot.data');
  }
  return {
    version: Number(h.get('v')), id: h.get('id') ?? '', count: Number(h.get('count')),
    clients: data.clients as StoredSnapshot['clients'], router: data.router as RouterSnapshot,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
