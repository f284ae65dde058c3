import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

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

/** The suffix of a describe title when redis-server is missing. */
export const skipHint = hasRedis ? '' : ' (skipped: no redis-server — apt-get install redis-server)';

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
  /** Starts it again on the same port and directory (AOF files included). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Starts redis-server; `aof` turns on the append-only file with `appendfsync always`. */
export async function startRedis(options: { aof?: boolean } = {}): Promise<RedisServer> {
  if (redisServer === undefined) throw new Error('redis-server is not installed: apt-get install redis-server');
  const binary = redisServer;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'fenliu-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning',
    '--appendonly', options.aof ? 'yes' : 'no', ...(options.aof ? ['--appendfsync', 'always'] : [])];
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
    restart: launch,
    async stop() {
      for (const c of clients) c.disconnect();
      await exit('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
