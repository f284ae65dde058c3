import { Heap } from 'heap-js';
import { randomUUID } from 'node:crypto';
import { RoutingError, type RouterOptions, type RouterSnapshot } from '../index.js';
import { describe } from '../errors.js';
import { plainArgument } from '../router.js';
import { isTime, TIME_EXPECTED } from '../validate.js';
import { encodeArgs, encodeEntry, fieldOf, OPS, splitTime, uncarried, type Op } from './entry.js';
import { RedisRouterError } from './errors.js';
import { canonicalSettings, readSettings } from './options.js';
import { compareIds, LOG_START, type ShopKeys } from './keys.js';
import type { Follower, Link } from './link.js';
import { ShopReplica, type StoredSnapshot } from './replica.js';
import { SAVE_SNAPSHOT } from './scripts.js';

/** Something that happened to a shop's replica, for logging and monitoring. Narrow on `type`. */
export type RedisRouterEvent =
  /** A log entry every replica rejected: malformed (`MALFORMED_ENTRY`) or refused by the Router. `own`: this process appended it. */
  | { type: 'rejected'; entryId: string; op: string | undefined; error: RoutingError | RedisRouterError; own: boolean }
  /** The replica reloaded: the log was trimmed past its position, or a failover replaced the log it had applied. */
  | { type: 'reloaded'; from: string; to: string }
  /** This process stored a snapshot at entry `entryId` and trimmed the log behind the previous one. */
  | { type: 'snapshot'; entryId: string; count: number }
  /** A connection or storage error the replica recovers from by retrying; `LOG_UNRECOVERABLE` stops it. */
  | { type: 'error'; error: Error };

/** One shop's settings, resolved and checked. */
export interface ShopSettings {
  shopId: string;
  keys: ShopKeys;
  /** The canonical JSON of the given routing settings; `undefined` to adopt the stored ones. */
  settings: string | undefined;
  clock: () => number;
  snapshotEvery: number;
  retainMs: number;
  batchSize: number;
  closeTimeoutMs: number;
  maxEntryBytes: number;
  waitReplicas: number;
  waitTimeoutMs: number;
  onEvent: ((event: RedisRouterEvent) => void) | undefined;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** What this process appended, to tell its own entry from a hand-written one reusing the request id. */
  fields: string[];
  /** The entry id the append returned; `undefined` until it answers. */
  id: string | undefined;
  /** The append failed: whether the entry reached the log is being settled. */
  uncertain: boolean;
  /** The append (and its WAIT, if any) answered. */
  acked: boolean;
  /** Replicas that acknowledged the entry, when fewer than `waitReplicas`; `'lost'` when the append's answer (and its WAIT's) was lost. */
  short: number | 'lost' | undefined;
  /** The replica applied the entry before the WAIT answered: the outcome, held until it does. */
  outcome: { error: Error | undefined; value: unknown } | undefined;
}

/**
 * One shop's replica and the calls of this process waiting for it: a `ShopReplica` following the
 * shop's log over a shared {@link Link}. A call appends one entry; the replica reads the log (at
 * once after its own append, on a wake announcement, or on the link's poll) and settles each call
 * when it applies the call's own entry.
 */
export class ShopCore implements Follower {
  readonly #link: Link;
  readonly #s: ShopSettings;
  /** The shop's stored routing settings: what a rebuild without a snapshot starts from. */
  readonly #stored: RouterOptions;
  /** Unique per instance, so request ids never collide across processes, restarts or reopenings. */
  readonly #clientId = randomUUID();
  #calls = 0;
  /** Replaced whole on reload; otherwise changed only by applying the log in order. */
  #replica: ShopReplica;
  /** The count of the newest snapshot known stored: closing stores one only past it. */
  #snapshotCount: number;
  /** The id of the newest trim record seen: the next XREAD asks for newer ones only. */
  #trimSeen = LOG_START;
  /** The entry that last made this replica rebuild: met again, it is accepted (a log changed by hand). */
  #rebuiltFor = '';
  /** The log's last entry as `sync()` found it, when it was before this replica's position. */
  #ahead: string | undefined;
  /** Calls of this process whose entries are not applied yet, by request id. */
  readonly #pending = new Map<string, Pending>();
  /** `sync()` and settling waits, the earliest position first: resolved once the replica's position reaches `id`. */
  readonly #waiters = new Heap<{ id: string; resolve: () => void }>((a, b) => compareIds(a.id, b.id));
  #idle: (() => void)[] = [];
  /** One read at a time keeps entries in order; `#again` asks for one more after it. */
  #reading: Promise<void> | undefined;
  #again = false;
  /** The highest entry id this replica was asked to reach: a read is under way or asked for that brings it. */
  #wanted = LOG_START;
  #closing = false;
  /** Set once the replica stops applying: at close, or when the log is unrecoverable. */
  #stopped = false;
  /** Why it stopped, when not by close(): every later call and sync() rejects with it. */
  #failure: RedisRouterError | undefined;

  private constructor(link: Link, s: ShopSettings, stored: RouterOptions, replica: ShopReplica) {
    this.#link = link;
    this.#s = s;
    this.#stored = stored;
    this.#replica = replica;
    this.#snapshotCount = replica.count;
  }

  /**
   * Opens a shop: loads its latest snapshot, follows its wake channel, and replays the log after
   * the snapshot. Resolves once the replica has caught up with the log as it was at the call.
   */
  static async open(link: Link, s: ShopSettings): Promise<ShopCore> {
    const redis = link.command;
    // SET NX: the first opener's settings become the shop's — the defaults when it gave none, so
    // that a later opener with other settings is refused rather than routing apart from it.
    await redis.call('SET', s.keys.options, s.settings ?? canonicalSettings(), 'NX');
    const stored = (await redis.call('GET', s.keys.options)) as string | null;
    if (s.settings !== undefined && stored !== null && stored !== s.settings) {
      throw new RoutingError('INVALID_OPTION', `Expected \`options\` to match the settings shop ${JSON.stringify(s.shopId)} was first opened with (${stored}), got ${s.settings}; every process of a shop must route by the same settings`, 'options');
    }
    const options = stored === null ? {} : readSettings(stored);
    const snapshot = await readSnapshot(link, s.keys);
    const core = new ShopCore(link, s, options, snapshot === undefined ? ShopReplica.create(options) : ShopReplica.restore(snapshot));
    // Subscribed before the catch-up read: an entry appended after it is read there or announced.
    // Until the catch-up is done, an announcement only asks for one more read after it: two
    // reads at once would apply entries twice.
    let caughtUp: () => void = () => {};
    core.#reading = new Promise<void>((resolve) => { caughtUp = resolve; });
    const catchUp = (async () => {
      await link.follow(s.keys.wake, core);
      while (await core.#read());
    })();
    void catchUp.then(() => undefined, () => undefined).finally(() => {
      core.#reading = undefined;
      caughtUp();
      if (core.#again) core.pull();
    });
    try {
      await catchUp;
    } catch (error) {
      core.#closing = true;
      core.#stop(error as Error);
      await link.unfollow(s.keys.wake, core);
      throw error;
    }
    return core;
  }

  get replica(): ShopReplica {
    return this.#replica;
  }

  /** Whether a call, a `sync()` or a read is under way: a busy shop is not dropped for idleness. */
  get busy(): boolean {
    return this.#pending.size > 0 || this.#waiters.length > 0 || this.#reading !== undefined;
  }

  /** The router state of this replica. */
  snapshot(): RouterSnapshot {
    return this.#replica.snapshot().router;
  }

  // ───────────────────────────── appending ─────────────────────────────

  /** Why this replica stopped applying the log (`LOG_UNRECOVERABLE`), if it did while open. */
  get failure(): RedisRouterError | undefined {
    return this.#failure;
  }

  /** The error a call or a `sync()` gets from a replica that stopped: appended, it would never be applied here. */
  #stoppedError(what: string): RedisRouterError | undefined {
    const f = this.#failure;
    return f === undefined ? undefined : new RedisRouterError(f.code, `Expected shop ${JSON.stringify(this.#s.shopId)} to follow its log, got a ${what} after this replica stopped (${f.message}); nothing was appended`, f.entryId);
  }

  /** A mutating `Router` call through the log; `args` as the `Router` method takes them, time included. */
  call(op: Op, rawArgs: readonly unknown[]): Promise<unknown> {
    if (this.#closing) return Promise.reject(new RedisRouterError('CLOSED', `Expected shop ${JSON.stringify(this.#s.shopId)} to be open, got a ${op}() after close()`));
    const stopped = this.#stoppedError(`${op}()`);
    if (stopped !== undefined) return Promise.reject(stopped);
    const spec = OPS[op];
    let plain: readonly unknown[];
    try {
      plain = plainArguments(op, rawArgs);
    } catch (error) {
      return Promise.reject(error);
    }
    // A missing argument has no JSON form: refused here, named as `Router` names it.
    const missing = spec.params.findIndex((_, i) => plain[i] === undefined);
    if (missing >= 0) {
      const name = spec.params[missing] as string;
      return Promise.reject(new RoutingError('INVALID_ARGUMENT', `Expected \`${name}\` to be given, got undefined`, name));
    }
    const { args, at } = splitTime(op, plain);
    let t: number | undefined;
    if (spec.at !== 'none') {
      t = at === undefined ? this.#s.clock() : (at as number);
      if (!isTime(t)) {
        const field = at === undefined ? 'options.clock()' : spec.field;
        return Promise.reject(new RoutingError(at === undefined ? 'INVALID_OPTION' : 'INVALID_ARGUMENT', `Expected \`${field}\` to be ${TIME_EXPECTED}, got ${describe(t)}`, field));
      }
    }
    let json: string;
    try {
      // Encoded first: JSON refuses cycles, so the walk of what it would change ends.
      json = encodeArgs(args);
      const found = args.length < spec.arity ? `undefined at [${args.length}]` : uncarried(args);
      if (found !== undefined) throw new Error(found);
    } catch (error) {
      return Promise.reject(new RoutingError('INVALID_ARGUMENT', `Expected the arguments of ${op}() to be plain data that JSON carries unchanged, got ${(error as Error).message}`, 'arguments'));
    }
    // Refused here, before the append: an entry is read by every replica and a consultation's
    // data stays in every snapshot while it is open.
    const bytes = json.length > this.#s.maxEntryBytes / 3 ? Buffer.byteLength(json) : json.length;
    if (bytes > this.#s.maxEntryBytes) {
      return Promise.reject(new RoutingError('INVALID_ARGUMENT', `Expected the arguments of ${op}() to take at most ${this.#s.maxEntryBytes} bytes as JSON (maxEntryBytes), got ${bytes}`, 'arguments'));
    }
    const rid = `${this.#clientId}:${++this.#calls}`;
    const fields = encodeEntry(op, rid, t, json);
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve, reject, fields, id: undefined, uncertain: false, acked: false, short: undefined, outcome: undefined };
      this.#pending.set(rid, p);
      this.#link.polled(this);
      this.#link.append(this.#s.keys, fields, this.#s.waitReplicas, this.#s.waitTimeoutMs).then(
        ({ id, acked }) => {
          if (this.#pending.get(rid) !== p) return;
          p.id = id;
          p.acked = true;
          if (acked !== undefined && acked < this.#s.waitReplicas) p.short = acked;
          if (p.outcome !== undefined) this.#settle(rid, p.outcome.error, p.outcome.value);
          // The replica moved past the entry without applying it: only a reload does that.
          else if (compareIds(id, this.#replica.position) <= 0) this.#settle(rid, new RedisRouterError('DECISION_LOST', `Expected this replica to apply entry ${id} of ${op}(), but it reloaded from a later snapshot: the call was applied, its decision is not known here`, id));
          else this.want(id);
        },
        (error: unknown) => {
          if (this.#pending.get(rid) !== p) return;
          p.uncertain = true;
          p.acked = true;
          // The WAIT's answer was lost with the append's: an entry found in the log later has no
          // acknowledgement, so it must not resolve as if replicas had it.
          if (this.#s.waitReplicas > 0) p.short = 'lost';
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
      this.pull();
      await this.#reach(last);
      if (this.#pending.get(rid) === p && !this.#stopped) {
        this.#settle(rid, new RedisRouterError('NOT_APPLIED', `Expected the append to reach the log, got ${String((cause as Error | undefined)?.message ?? cause)}; the log does not hold it, so nothing happened and the call is safe to retry`));
      }
    }
  }

  async #lastId(): Promise<string> {
    const last = (await this.#link.command.call('XREVRANGE', this.#s.keys.log, '+', '-', 'COUNT', '1')) as [string, unknown][];
    const id = last.length === 0 ? undefined : (last[0] as [string, unknown])[0];
    return id === undefined ? LOG_START : id;
  }

  #settle(rid: string, error: Error | undefined, value?: unknown): void {
    const p = this.#pending.get(rid);
    if (p === undefined) return;
    if (!p.acked && error === undefined) {
      p.outcome = { error, value };
      return;
    }
    this.#pending.delete(rid);
    if (error !== undefined) p.reject(error);
    else if (p.short !== undefined) p.reject(new RedisRouterError('NOT_REPLICATED', `Expected ${this.#s.waitReplicas} replica(s) to acknowledge entry ${p.id} within ${this.#s.waitTimeoutMs} ms (waitReplicas), got ${p.short === 'lost' ? 'no answer (the append\'s reply was lost)' : p.short}: the call was applied on the master and a failover now could undo it; read the state`, p.id));
    else p.resolve(value);
    if (this.#pending.size === 0) for (const r of this.#idle.splice(0)) r();
  }

  // ───────────────────────────── following the log ─────────────────────────────

  /** An announcement of entry `id`: read if this replica has not reached it. */
  wake(id: string): void {
    this.want(id);
  }

  /**
   * Reads until this replica has reached entry `id`. Entry ids grow in append order, so a read
   * issued after the highest id asked for so far brings every entry up to it: a second ask for
   * the same entry (its announcement after our own append's reply) needs no second read.
   */
  want(id: string): void {
    if (compareIds(id, this.#replica.position) <= 0) return;
    if (compareIds(id, this.#wanted) <= 0 && this.#reading !== undefined) return;
    if (compareIds(id, this.#wanted) > 0) this.#wanted = id;
    this.pull();
  }

  /** Reads the log now (or once more after the read under way). */
  pull(): void {
    if (this.#stopped) return;
    if (this.#reading !== undefined) {
      this.#again = true;
      return;
    }
    this.#reading = this.#drain().finally(() => {
      this.#reading = undefined;
      this.#wake();
    });
  }

  async #drain(): Promise<void> {
    let delay = 50;
    while (!this.#stopped) {
      this.#again = false;
      let more: boolean;
      try {
        more = await this.#read();
        delay = 50;
      } catch (error) {
        if (this.#stopped) return;
        this.#emit({ type: 'error', error: error as Error });
        if (error instanceof RedisRouterError && error.code === 'LOG_UNRECOVERABLE') {
          this.#failure = error;
          this.#stop(error);
          return;
        }
        await sleep(delay);
        delay = Math.min(delay * 2, 1_000);
        continue;
      }
      this.#wake();
      if (!more && !this.#again) return;
    }
  }

  /**
   * One XREAD of the log and the trim records together — atomic, so a trim that removed entries
   * after our position is seen in the same reply as the entries after the gap. Returns whether
   * there may be more to read.
   */
  async #read(): Promise<boolean> {
    const k = this.#s.keys;
    const reply = await this.#link.read(k, this.#replica.position, this.#trimSeen, this.#s.batchSize);
    if (this.#stopped) return false;
    if (reply === null) {
      const ahead = this.#ahead;
      this.#ahead = undefined;
      if (ahead === undefined || compareIds(ahead, this.#replica.position) >= 0) return false;
      await this.#reload(undefined);
      return true;
    }
    let entries: [string, unknown[]][] = [];
    let trimmedTo: string | undefined;
    for (const [key, items] of reply) {
      if (key === k.log) {
        entries = items;
      } else if (key === k.trims && items.length > 0) {
        const [id, fields] = items[items.length - 1] as [string, unknown[]];
        this.#trimSeen = id;
        const minid = fields[0] === 'minid' ? String(fields[1]) : undefined;
        if (minid !== undefined && /^\d+-\d+$/.test(minid) && compareIds(minid, this.#replica.position) > 0) trimmedTo = minid;
      }
    }
    // The log was trimmed past our position. Entries after it may be gone — unless the first the
    // log still holds follows our position directly (a trim at `now − retainMs` after a quiet
    // spell removes only what every replica had). Gone, the snapshot stored with that trim covers
    // them; the entries of this reply are read again after it.
    if (trimmedTo !== undefined && (entries.length === 0 || fieldOf((entries[0] as [string, unknown[]])[1], 'prev') !== this.#replica.position)) {
      await this.#reload(trimmedTo);
      return true;
    }
    for (const [id, fields] of entries) {
      // An entry whose predecessor is behind our position: this replica applied entries the log
      // no longer holds (a failover lost them). Start again from what the log holds.
      const prev = fieldOf(fields, 'prev');
      if (typeof prev === 'string' && compareIds(prev, this.#replica.position) < 0 && id !== this.#rebuiltFor) {
        this.#rebuiltFor = id;
        await this.#reload(undefined);
        return true;
      }
      this.#apply(id, fields);
    }
    return entries.length >= this.#s.batchSize;
  }

  #apply(id: string, fields: unknown[]): void {
    const applied = this.#replica.apply(id, fields, this.#s.keys.log);
    const p = applied.rid === '' ? undefined : this.#pending.get(applied.rid);
    // Ours only if it is what we appended (a hand-written entry may reuse a request id) and not
    // applied already (a copy re-sent across a reconnect, while the first one's outcome waits for its append).
    const own = p !== undefined && p.outcome === undefined && sameCall(p.fields, fields);
    // An append whose reply was lost learns its entry's id here.
    if (own) p.id ??= id;
    if (applied.ok) {
      if (own) this.#settle(applied.rid, undefined, applied.value);
    } else {
      if (own && applied.error instanceof RedisRouterError && applied.error.code === 'DUPLICATE_ENTRY') {
        // Our own entry, skipped: an entry written by hand took its request id first.
        this.#settle(applied.rid, new RedisRouterError('NOT_APPLIED', `Expected entry ${id} of this call to be applied, but a log entry written by hand had already taken its request id ${applied.rid}, so every replica skipped it; nothing happened and the call is safe to retry`, id));
      } else if (own) {
        this.#settle(applied.rid, applied.error);
      }
      this.#emit({ type: 'rejected', entryId: id, op: applied.op, error: applied.error, own });
    }
    // One writer per snapshot, chosen by the log itself: the process whose call is the
    // snapshotEvery-th entry. The script refuses to move the stored snapshot backwards.
    if (this.#s.snapshotEvery > 0 && this.#replica.count % this.#s.snapshotEvery === 0 && applied.rid.startsWith(`${this.#clientId}:`)) {
      void this.#storeSnapshot();
    }
  }

  /**
   * Starts again from the stored snapshot (or, with none, from the start of the log): the log
   * was trimmed past this replica (`trimmedTo`), or holds other entries than it applied.
   */
  async #reload(trimmedTo: string | undefined): Promise<void> {
    // A corrupted snapshot cannot be reloaded from; a connection error is retried by the read loop.
    const stored = await readSnapshot(this.#link, this.#s.keys).catch((error: unknown) => {
      if (!(error instanceof RoutingError)) throw error;
      throw new RedisRouterError('LOG_UNRECOVERABLE', `Expected a readable snapshot of ${this.#s.keys.snapshot} to reload from: ${error.message}`);
    });
    // Closed while it read (close() gives up on a read under way): nothing changes after close().
    if (this.#stopped) return;
    if (trimmedTo !== undefined && (stored === undefined || compareIds(stored.id, trimmedTo) < 0)) {
      throw new RedisRouterError('LOG_UNRECOVERABLE', `Expected ${this.#s.keys.snapshot} to cover the log up to ${trimmedTo}, where it was trimmed, got ${stored === undefined ? 'no snapshot' : `a snapshot at ${stored.id}`}; this replica at ${this.#replica.position} cannot catch up`);
    }
    const from = this.#replica.position;
    this.#replica = stored === undefined ? ShopReplica.create(this.#stored) : ShopReplica.restore(stored);
    this.#snapshotCount = this.#replica.count;
    const to = this.#replica.position;
    for (const [rid, p] of [...this.#pending]) {
      if (trimmedTo === undefined && p.id !== undefined) {
        // After a failover the entry may be gone. Past the snapshot, the log says whether it is
        // there; inside the snapshot nobody can tell any more.
        if (compareIds(p.id, to) <= 0) this.#settle(rid, new RedisRouterError('OUTCOME_UNKNOWN', `Expected this replica to apply entry ${p.id}, but the log was replaced by a failover and the entry may be inside the snapshot at ${to} or lost; read the state`, p.id));
        else if (!p.uncertain) {
          p.uncertain = true;
          void this.#settleUncertain(rid, p, new Error('the log was replaced by a failover'));
        }
      } else if (p.id !== undefined && compareIds(p.id, to) <= 0) {
        this.#settle(rid, new RedisRouterError('DECISION_LOST', `Expected this replica to apply entry ${p.id}, but it fell behind the trimmed log and reloaded from the snapshot at ${to}: the call was applied, its decision is not known here`, p.id));
      } else if (p.uncertain) {
        this.#settle(rid, new RedisRouterError('OUTCOME_UNKNOWN', `Expected to settle a failed append, but this replica reloaded from the snapshot at ${to}; the call may or may not be in it`));
      }
    }
    this.#emit({ type: 'reloaded', from, to });
  }

  /** Stores this replica's state as the shop's snapshot (a newer stored one wins) and trims the log behind it. */
  async #storeSnapshot(): Promise<void> {
    const s = this.#replica.snapshot();
    const k = this.#s.keys;
    const data = JSON.stringify({ clients: s.clients, router: s.router });
    try {
      const stored = (await this.#link.command.call('EVAL', SAVE_SNAPSHOT, 3, k.snapshot, k.log, k.trims, s.id, String(s.count), data, String(this.#s.retainMs))) as number;
      this.#snapshotCount = Math.max(this.#snapshotCount, s.count);
      if (stored === 1) this.#emit({ type: 'snapshot', entryId: s.id, count: s.count });
    } catch (error) {
      this.#emit({ type: 'error', error: error as Error });
    }
  }

  #reach(id: string): Promise<void> {
    if (this.#stopped || compareIds(this.#replica.position, id) >= 0) return Promise.resolve();
    this.#link.polled(this);
    return new Promise((resolve) => void this.#waiters.add({ id, resolve }));
  }

  /** Resolves the waits the replica's position has reached (all of them once stopped): O(log n) each, none for those still waiting. */
  #wake(): void {
    const waiters = this.#waiters;
    const position = this.#replica.position;
    for (let w = waiters.peek(); w !== undefined && (this.#stopped || compareIds(position, w.id) >= 0); w = waiters.peek()) {
      waiters.pop();
      w.resolve();
    }
  }

  // ───────────────────────────── sync and close ─────────────────────────────

  /** Waits until this replica has applied every entry appended before the call. */
  async sync(): Promise<void> {
    if (this.#closing) throw new RedisRouterError('CLOSED', `Expected shop ${JSON.stringify(this.#s.shopId)} to be open, got a sync() after close()`);
    const stopped = this.#stoppedError('sync()');
    if (stopped !== undefined) throw stopped;
    const last = await this.#lastId();
    // A log that ends before this replica's position lost entries it applied (a failover): the
    // next read, finding nothing newer, rebuilds the replica from what the log holds.
    const ahead = compareIds(last, this.#replica.position) < 0;
    if (ahead) this.#ahead = last;
    this.pull();
    if (ahead) await this.#reading;
    await this.#reach(last);
    // Stopped meanwhile, it reached nothing: its state is not the log's.
    const stoppedSince = this.#stoppedError('sync()');
    if (stoppedSince !== undefined) throw stoppedSince;
  }

  /**
   * Stops following the log: new calls reject with `CLOSED`; calls in flight get up to
   * `closeTimeoutMs` to be applied, then reject with `OUTCOME_UNKNOWN`. With `store`, a snapshot
   * is stored first if this replica is past the stored one, so that the shop reopens quickly.
   * Storing it, leaving the wake channel and the read under way get up to `closeTimeoutMs` more:
   * with Redis unreachable (and a client that retries for ever) they would never end.
   */
  async close(store = false): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const ms = this.#s.closeTimeoutMs;
    const gaveUp = new RedisRouterError('OUTCOME_UNKNOWN', 'Expected the call to be applied before close() gave up waiting; it may or may not be in the log');
    if (this.#pending.size > 0) await within(new Promise<void>((r) => this.#idle.push(r)), ms);
    const rest = (async () => {
      if (store && !this.#stopped && this.#pending.size === 0 && this.#replica.count > this.#snapshotCount) await this.#storeSnapshot();
      this.#stop(gaveUp);
      await this.#link.unfollow(this.#s.keys.wake, this);
      await this.#reading;
    })();
    await within(rest, ms);
    // Given up on: stopped all the same, so that nothing is applied or settled after close().
    this.#stop(gaveUp);
  }

  #stop(error: Error): void {
    this.#stopped = true;
    for (const [rid, p] of [...this.#pending]) {
      p.acked = true;
      this.#settle(rid, error);
    }
    this.#wake();
  }

  #emit(event: RedisRouterEvent): void {
    try {
      this.#s.onEvent?.(event);
    } catch {
      // A listener's bug must not stop the replica: the log has to be applied regardless.
    }
  }
}

/** Whether a log entry is the call this process appended: same operation, time and arguments. */
function sameCall(ours: readonly string[], theirs: readonly unknown[]): boolean {
  return fieldOf(theirs, 'args') === fieldOf(ours, 'args') && fieldOf(theirs, 'op') === fieldOf(ours, 'op') && fieldOf(theirs, 'at') === fieldOf(ours, 'at');
}

async function readSnapshot(link: Link, keys: ShopKeys): Promise<StoredSnapshot | undefined> {
  const flat = (await link.command.call('HGETALL', keys.snapshot)) as string[];
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

/** Waits for `work` to settle, or `ms`, whichever comes first (its rejection is not ours to report). */
export async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work.then(() => undefined, () => undefined), new Promise<void>((r) => { timer = setTimeout(r, ms); })]);
  clearTimeout(timer);
}

/** A call's arguments read as `Router` reads them (see `plainArgument`): what the log stores is what a local `Router` would have seen. */
function plainArguments(op: Op, args: readonly unknown[]): readonly unknown[] {
  switch (op) {
    case 'route': return [plainArgument('consultation', args[0]), ...args.slice(1)];
    case 'upsertAgent': return [plainArgument('spec', args[0]), ...args.slice(1)];
    case 'reroute': return [args[0], plainArgument('request', args[1]), ...args.slice(2)];
    // escalate(customerId, at) is escalate(customerId, { at }): the log keeps one shape.
    case 'escalate': return [args[0], args[1] === undefined ? {} : typeof args[1] === 'number' ? { at: args[1] } : plainArgument('escalate', args[1])];
    default: return args;
  }
}
