import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';

/**
 * The redis-server binary, or `undefined` when none is installed. `REDIS_SERVER=<path>` picks
 * another binary; `REDIS_SERVER=none` behaves as if none were installed.
 */
export const redisServer: string | undefined = (() => {
  const chosen = process.env.REDIS_SERVER;
  if (chosen !== undefined && chosen !== '') return chosen === 'none' || !existsSync(chosen) ? undefined : chosen;
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path.length > 0 ? path : undefined;
})();

/** Whether these tests can run here. In CI they must: a missing server fails the run loudly. */
export const hasRedis = redisServer !== undefined;
if (!hasRedis && process.env.CI) {
  throw new Error('CI is set but redis-server is not installed: apt-get update && apt-get install -y redis-server');
}

/** redis-cli, which creates a cluster: beside redis-server (Debian's redis-tools, a dependency of redis-server) or on the PATH. */
export const redisCli: string | undefined = (() => {
  if (redisServer === undefined) return undefined;
  const beside = join(redisServer.replace(/redis-server$/, ''), 'redis-cli');
  if (existsSync(beside)) return beside;
  const found = spawnSync('sh', ['-c', 'command -v redis-cli'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim().length > 0 ? found.stdout.trim() : undefined;
})();

/** The suffix of a describe title when redis-server is missing. */
export const skipHint = hasRedis ? '' : ' (skipped: no redis-server — apt-get install redis-server)';

/** The suffix of a describe title when a cluster cannot be created here. */
export const clusterSkipHint = redisCli !== undefined ? '' : hasRedis ? ' (skipped: no redis-cli — apt-get install redis-tools)' : skipHint;

/** A free loopback port: the OS picks one, we release it and hand it to redis-server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A redis-server of our own on a loopback port, in a temporary directory. */
export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  /** A new client connected to it. */
  client(): Redis;
  /** SIGKILL: no shutdown save, no goodbye — a crash. */
  kill(): Promise<void>;
  /** SIGSTOP: it hangs, its connections open but unanswered, until it is killed. */
  pause(): void;
  /** Starts it again on the same port and directory (AOF files included). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Starts redis-server; `aof` turns on the append-only file with `appendfsync always`; `args` are passed on. */
export async function startRedis(options: { aof?: boolean; args?: string[] } = {}): Promise<RedisServer> {
  if (redisServer === undefined) throw new Error('redis-server is not installed: apt-get install redis-server');
  const binary = redisServer;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'fenliu-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning',
    '--appendonly', options.aof ? 'yes' : 'no', ...(options.aof ? ['--appendfsync', 'always'] : []), ...(options.args ?? [])];
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];

  const launch = async (): Promise<void> => {
    child = spawn(binary, args, { stdio: 'ignore' });
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        probe.disconnect();
        if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  };
  const exit = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  };

  await launch();
  return {
    port,
    dir,
    client() {
      const c = new Redis(port, '127.0.0.1');
      c.on('error', () => {});
      clients.push(c);
      return c;
    },
    kill: () => exit('SIGKILL'),
    pause: () => {
      child?.kill('SIGSTOP');
    },
    restart: launch,
    async stop() {
      for (const c of clients) c.disconnect();
      await exit('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A local Redis Cluster of our own: masters with a replica each, on loopback ports. */
export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  /** A new cluster client; `options` are ioredis Cluster options. */
  client(options?: ConstructorParameters<typeof Cluster>[1]): Cluster;
  /** The port of the node that serves `key`'s slot as master now. */
  masterOf(key: string): Promise<number>;
  /** Resolves once every slot is served by a reachable master that sees the cluster as ok. */
  healthy(timeoutMs?: number): Promise<void>;
  /** Resolves once every replica that is up has a working link to its master. */
  synced(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes their directories. */
  stop(): Promise<void>;
}

/** Runs `f` on a short-lived client of `node`, giving up after `ms`. */
async function ask<T>(node: RedisServer, f: (r: Redis) => Promise<T>, ms = 500): Promise<T> {
  const r = new Redis(node.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    await r.connect();
    return await Promise.race([f(r), new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })]);
  } finally {
    clearTimeout(timer);
    r.disconnect();
  }
}

/**
 * Starts `masters` × (1 + `replicas`) cluster-enabled redis-servers and joins them with
 * `redis-cli --cluster create`. A small `cluster-node-timeout` keeps a failover to a few seconds.
 */
export async function startCluster(options: { masters?: number; replicas?: number; nodeTimeoutMs?: number } = {}): Promise<RedisCluster> {
  const { masters = 3, replicas = 1, nodeTimeoutMs = 1000 } = options;
  const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(nodeTimeoutMs),
    '--cluster-replica-validity-factor', '0', '--repl-diskless-sync-delay', '0'];
  const nodes = await Promise.all(Array.from({ length: masters * (1 + replicas) }, () => startRedis({ args })));
  const created = spawnSync(redisCli ?? 'redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`),
    '--cluster-replicas', String(replicas), '--cluster-yes'], { encoding: 'utf8', timeout: 60_000 });
  if (created.status !== 0) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  }
  const clients: Cluster[] = [];
  const anyNode = async <T>(f: (r: Redis) => Promise<T>): Promise<T> => {
    for (const node of nodes) {
      try {
        return await ask(node, f);
      } catch {
        // a killed node: ask the next
      }
    }
    throw new Error('no cluster node answers');
  };
  const slots = (): Promise<[number, number, [string, number]][]> => anyNode((r) => r.call('CLUSTER', 'SLOTS') as Promise<[number, number, [string, number]][]>);
  const cluster: RedisCluster = {
    nodes,
    client(o) {
      const c = new Cluster(nodes.map((n) => ({ host: '127.0.0.1', port: n.port })), { retryDelayOnFailover: 100, retryDelayOnClusterDown: 100, ...o });
      c.on('error', () => {});
      clients.push(c);
      return c;
    },
    async masterOf(key) {
      const slot = Number(await anyNode((r) => r.call('CLUSTER', 'KEYSLOT', key)));
      const range = (await slots()).find(([from, to]) => slot >= from && slot <= to);
      return range?.[2][1] ?? -1;
    },
    async healthy(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const ok = async (port: number): Promise<boolean> => {
        const node = nodes.find((n) => n.port === port);
        if (node === undefined) return false;
        return ask(node, (r) => r.call('CLUSTER', 'INFO')).then((info) => String(info).includes('cluster_state:ok'), () => false);
      };
      for (;;) {
        try {
          const ranges = await slots();
          const covered = ranges.reduce((n, [from, to]) => n + to - from + 1, 0);
          const owners = [...new Set(ranges.map((r) => r[2][1]))];
          if (covered === 16384 && (await Promise.all(owners.map(ok))).every(Boolean)) return;
        } catch {
          // keep waiting
        }
        if (Date.now() > deadline) throw new Error('the cluster did not become healthy');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async synced(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const infos = await Promise.all(nodes.map((n) => ask(n, (r) => r.info('replication')).catch(() => 'down')));
        if (infos.every((i) => !i.includes('role:slave') || i.includes('master_link_status:up'))) return;
        if (Date.now() > deadline) throw new Error('the replicas did not catch up');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
  await cluster.healthy();
  await cluster.synced();
  return cluster;
}
