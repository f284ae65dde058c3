import type { Cluster, Redis } from 'ioredis';
import type { ShopKeys } from './keys.js';
import { APPEND } from './scripts.js';

/** A connection fenliu/redis can use: an ioredis client or cluster. */
export type RedisConnection = Redis | Cluster;

/** A shop the link announces entries to. */
export interface Follower {
  /** An entry was appended (`id`): read the log if it is past this replica's position. */
  wake(id: string): void;
  /** Read the log now, whatever its position. */
  pull(): void;
  /** Whether a call or a `sync()` of this shop is waiting for the log. */
  readonly busy: boolean;
}

/** An XREAD reply: per stream with newer entries, its key and the entries `[id, fields]`. */
export type StreamReply = [string, [string, unknown[]][]][];

/** What an append returned: the entry id, and how many replicas acknowledged it (when asked to wait). */
export interface Appended {
  id: string;
  acked: number | undefined;
}

type Appender = { fenliuAppend(log: string, wake: string, ...fields: string[]): Promise<string> };

/** A read asked for in this tick, waiting for its XREAD. */
interface PendingRead {
  keys: ShopKeys;
  position: string;
  trimSeen: string;
  count: number;
  resolve: (reply: StreamReply | null) => void;
  reject: (error: unknown) => void;
}

/** Shops read by one XREAD at most. */
const READS_PER_XREAD = 500;

/**
 * The connections a process shares between all its shops: one for commands (appends, reads,
 * snapshots) and one subscribed to the shops' wake channels. Their number does not depend on
 * the number of shops: two for one Redis, two cluster clients (one connection per node each,
 * plus one subscriber) for a cluster.
 */
export class Link {
  /** Appends, non-blocking XREADs and snapshot scripts of every shop, in the order they were issued. */
  readonly command: RedisConnection;
  readonly #subscriber: RedisConnection;
  /** Followers that became busy since the last poll that found them idle: the poll reads only these. */
  readonly #polled = new Set<Follower>();
  /** The shop that follows each wake channel; one per channel, so one SUBSCRIBE. */
  readonly #followers = new Map<string, Follower>();
  readonly #poll: ReturnType<typeof setInterval>;
  #connecting: Promise<void> | undefined;
  /** A cluster's listening connection as last seen, at the first subscription and then by each poll (ioredis replaces it when its node goes). */
  #listener: Redis | undefined;
  /** Polls left that read every shop: a cluster moved its listener. */
  #pullAll = 0;
  /** Reads asked for in this tick, sent together as one XREAD (one Redis only). */
  #reads: PendingRead[] = [];

  /**
   * @param pollMs - how often a shop with calls in flight reads its log even without an
   *   announcement (an announcement lost with a subscriber reconnect, an entry written by hand).
   */
  constructor(redis: RedisConnection, pollMs: number) {
    this.command = duplicate(redis);
    this.command.defineCommand('fenliuAppend', { numberOfKeys: 1, lua: APPEND });
    this.#subscriber = duplicate(redis);
    this.#subscriber.on('message', (channel: string, id: string) => this.#followers.get(channel)?.wake(id));
    // ioredis subscribes again after a reconnect, but what was announced in between is gone.
    let connected = false;
    this.#subscriber.on('ready', () => {
      if (connected) for (const f of this.#followers.values()) f.pull();
      connected = true;
    });
    this.#poll = setInterval(() => {
      // A cluster moves its listener to another node when the node goes, and says nothing: what
      // was announced meanwhile is gone. Every shop reads its log at the first poll that sees the
      // new listener, and at the next (its SUBSCRIBE may have been under way at the first).
      if (this.#subscriber.isCluster) {
        // None while ioredis picks another: the change counts when the new one is there.
        const listener = clusterListener(this.#subscriber);
        if (listener !== null && listener !== this.#listener) {
          if (this.#listener !== undefined) this.#pullAll = 2;
          this.#listener = listener;
        }
        if (this.#pullAll > 0) {
          this.#pullAll -= 1;
          for (const f of this.#followers.values()) f.pull();
        }
      }
      for (const f of this.#polled) {
        if (f.busy) f.pull();
        else this.#polled.delete(f);
      }
    }, pollMs);
    this.#poll.unref?.();
  }

  /** `follower` has a call or a wait in flight: the poll reads its log until it has none. */
  polled(follower: Follower): void {
    this.#polled.add(follower);
  }

  /** Routes the wake channel's announcements to `follower`; resolves once subscribed. */
  async follow(channel: string, follower: Follower): Promise<void> {
    const had = this.#followers.has(channel);
    this.#followers.set(channel, follower);
    if (had) return;
    // Shops opening at once share one wait (and one 'ready' listener).
    this.#connecting ??= listenerReady(this.#subscriber).finally(() => { this.#connecting = undefined; });
    await this.#connecting;
    await this.#subscriber.subscribe(channel);
    // The listener the polls compare with: the one this subscription went out on.
    if (this.#subscriber.isCluster) this.#listener ??= clusterListener(this.#subscriber) ?? undefined;
  }

  /** Stops the announcements to `follower` (not to a follower that replaced it on the channel). */
  async unfollow(channel: string, follower: Follower): Promise<void> {
    if (this.#followers.get(channel) !== follower) return;
    this.#followers.delete(channel);
    this.#polled.delete(follower);
    await this.#subscriber.unsubscribe(channel).catch(() => undefined);
  }

  /**
   * One non-blocking XREAD of a shop's log and trim record after the given positions; the reply
   * holds only streams with newer entries (`null` for none). On one Redis, the reads asked for in
   * the same tick go out as one XREAD over all their streams; a cluster allows several keys in one
   * command only within a slot, so there each shop reads alone.
   */
  read(keys: ShopKeys, position: string, trimSeen: string, count: number): Promise<StreamReply | null> {
    if (this.command.isCluster) {
      return this.command.call('XREAD', 'COUNT', count, 'STREAMS', keys.log, keys.trims, position, trimSeen) as Promise<StreamReply | null>;
    }
    return new Promise((resolve, reject) => {
      if (this.#reads.length === 0) setImmediate(() => this.#flushReads());
      this.#reads.push({ keys, position, trimSeen, count, resolve, reject });
    });
  }

  #flushReads(): void {
    let all = this.#reads;
    this.#reads = [];
    while (all.length > 0) {
      // One read per log in an XREAD, whose reply is split back by stream name: a second read of
      // a log goes in the next XREAD. (RedisShops reopens a shop only once its old replica has
      // closed, but two followers of one log must not depend on that.)
      const logs = new Set<string>();
      const once: PendingRead[] = [];
      const again: PendingRead[] = [];
      for (const r of all) {
        if (logs.has(r.keys.log)) {
          again.push(r);
          continue;
        }
        logs.add(r.keys.log);
        once.push(r);
      }
      // A few hundred shops per XREAD: all of them in one would spread 4 arguments per shop into
      // one call, past what a JavaScript call takes when tens of thousands of shops read at once
      // (a subscriber's reconnect asks every shop to).
      for (let i = 0; i < once.length; i += READS_PER_XREAD) this.#xread(once.slice(i, i + READS_PER_XREAD));
      all = again;
    }
  }

  #xread(reads: readonly PendingRead[]): void {
    // COUNT is per stream: the largest asked for; a shop applies what it gets and asks again.
    let count = 0;
    const streams: string[] = [];
    const ids: string[] = [];
    for (const r of reads) {
      if (r.count > count) count = r.count;
      streams.push(r.keys.log, r.keys.trims);
      ids.push(r.position, r.trimSeen);
    }
    (this.command.call('XREAD', 'COUNT', count, 'STREAMS', ...streams, ...ids) as Promise<StreamReply | null>).then(
      (reply) => {
        const byKey = new Map(reply ?? []);
        for (const r of reads) {
          const own = [r.keys.log, r.keys.trims].flatMap((k): StreamReply => { const items = byKey.get(k); return items === undefined ? [] : [[k, items]]; });
          r.resolve(own.length === 0 ? null : own);
        }
      },
      (error: unknown) => { for (const r of reads) r.reject(error); },
    );
  }

  /**
   * Appends an entry with the APPEND script. With `waitReplicas` > 0 a `WAIT` follows in the same
   * pipeline, so that it goes to the master that took the entry (in a cluster too) and counts the
   * replicas that have it.
   */
  async append(keys: ShopKeys, fields: string[], waitReplicas: number, waitTimeoutMs: number): Promise<Appended> {
    if (waitReplicas === 0) return { id: await (this.command as unknown as Appender).fenliuAppend(keys.log, keys.wake, ...fields), acked: undefined };
    const pipeline = this.command.pipeline();
    (pipeline as unknown as Appender).fenliuAppend(keys.log, keys.wake, ...fields);
    pipeline.call('WAIT', waitReplicas, waitTimeoutMs);
    const [appended, waited] = (await pipeline.exec()) ?? [];
    if (appended === undefined || appended[0] !== null) throw appended?.[0] ?? new Error('the append pipeline was discarded');
    // A failed WAIT counts as no acknowledgement: the entry is on the master, nowhere else known.
    return { id: appended[1] as string, acked: waited?.[0] === null ? Number(waited[1]) : 0 };
  }

  /** Ends both connections. QUIT lets a snapshot being stored finish; with Redis unreachable it gets a second. */
  async close(): Promise<void> {
    clearInterval(this.#poll);
    this.#followers.clear();
    this.#subscriber.disconnect();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.command.quit().catch(() => undefined), new Promise((r) => { timer = setTimeout(r, 1_000); })]);
    clearTimeout(timer);
    this.command.disconnect();
  }
}

/**
 * Waits until the listening connection is ready for a SUBSCRIBE. ioredis (5.x) writes a SUBSCRIBE
 * issued while a connection is still connecting before its own ready check, whose INFO the
 * connection, now in subscriber mode, then refuses — an unhandled rejection. A cluster client
 * listens on a connection of its own, opened on the first SUBSCRIBE: that one is connected first.
 */
async function listenerReady(listener: RedisConnection): Promise<void> {
  await ready(listener);
  if (listener.isCluster) {
    const instance = clusterListener(listener);
    if (instance) await ready(instance);
  }
}

/** The connection a cluster client listens on (ioredis 5 keeps it internal), `null` while it has none. */
function clusterListener(cluster: RedisConnection): Redis | null {
  return (cluster as unknown as { subscriber?: { getInstance?: () => Redis | null } }).subscriber?.getInstance?.() ?? null;
}

function ready(r: RedisConnection): Promise<void> {
  if (r.status === 'ready') return Promise.resolve();
  if (r.status === 'wait') r.connect().catch(() => undefined);
  return new Promise((resolve) => r.once('ready', () => resolve()));
}

/**
 * A duplicate of the caller's connection, for a cluster too. It keeps ioredis's default
 * `autoResendUnfulfilledCommands: true`: with `false`, ioredis drops a command in flight at a
 * disconnect without settling its promise, which would leave a call hanging.
 */
function duplicate(redis: RedisConnection): RedisConnection {
  const copy = redis.isCluster ? (redis as Cluster).duplicate() : (redis as Redis).duplicate();
  // Errors surface through the commands and the shops' 'error' events; without a listener
  // ioredis would print every failed reconnect attempt.
  copy.on('error', () => {});
  return copy;
}
