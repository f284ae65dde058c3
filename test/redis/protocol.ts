import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Decision, RouterSnapshot } from '../../src/index.js';

/** What the test process tells a worker. */
export type ToWorker =
  | { cmd: 'open'; port: number; shopId: string; snapshotEvery: number; retainMs?: number }
  | { cmd: 'run'; prefix: string; count: number; concurrency: number; seed: number; holdMs: number; replies: boolean; orderStates: string[] }
  | { cmd: 'sync' }
  | { cmd: 'close' };

/** What the worker's own replica saw. */
export interface WorkerEvents {
  rejected: number;
  reloaded: number;
  snapshots: number;
  errors: string[];
}

/** What a worker reports back. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'opened'; position: string; count: number }
  | { type: 'progress'; done: number }
  | { type: 'reloaded'; from: string; to: string }
  | { type: 'done'; decisions: [string, Decision][]; failures: [string, string][]; events: WorkerEvents }
  | { type: 'synced'; position: string; snapshot: RouterSnapshot; events: WorkerEvents }
  | { type: 'closed' }
  | { type: 'failed'; error: string };

/** A forked worker process and a way to await its next message of a kind. */
export interface Worker {
  readonly child: ChildProcess;
  send(message: ToWorker): void;
  next<T extends FromWorker['type']>(type: T, timeoutMs?: number): Promise<Extract<FromWorker, { type: T }>>;
  on(type: FromWorker['type'], listener: (message: FromWorker) => void): void;
}

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Forks test/redis/worker.ts under tsx and waits until it is ready. */
export async function startWorker(): Promise<Worker> {
  const child = fork(workerPath, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const listeners: ((m: FromWorker) => void)[] = [];
  child.on('message', (m: FromWorker) => {
    for (const l of [...listeners]) l(m);
  });
  const worker: Worker = {
    child,
    send: (message) => child.send(message),
    next: (type, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker ${child.pid}: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
        const listener = (m: FromWorker): void => {
          if (m.type === 'failed') {
            clearTimeout(timer);
            listeners.splice(listeners.indexOf(listener), 1);
            reject(new Error(`worker ${child.pid} failed: ${m.error}`));
          } else if (m.type === type) {
            clearTimeout(timer);
            listeners.splice(listeners.indexOf(listener), 1);
            resolve(m as never);
          }
        };
        listeners.push(listener);
      }),
    on: (type, listener) => listeners.push((m) => { if (m.type === type) listener(m); }),
  };
  await worker.next('ready', 30_000);
  return worker;
}
