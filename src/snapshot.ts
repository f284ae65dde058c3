import { RoutingError } from './errors.js';
import type { AgentStatus, GroupSpec, NoAgentPolicy, ReceptionMode, SplitMode } from './types.js';

/** The schema version `Router.snapshot()` writes and `Router.restore()` reads. */
export const SNAPSHOT_VERSION = 1;

/**
 * A router's whole state as plain JSON (no functions, no `Infinity`: an unbounded cap is `null`).
 * Its layout is internal and may change between schema versions; `version` says which one it is.
 */
export interface RouterSnapshot {
  version: number;
  options: {
    splitMode: SplitMode;
    busyThreshold: number;
    /** `null`: an unbounded window (`Infinity`). */
    stickyWindowMs: number | null;
    stickyToSuspended: boolean;
    receptionMode: ReceptionMode;
    robotRatio?: number;
    robot: boolean;
    noAgent: NoAgentPolicy;
    mainAccountId?: string;
    proxyAccountId?: string;
    groups: GroupSpec[];
    orderStates: string[];
    contactMemory: { maxEntries: number };
  };
  now: number | null;
  seq: number;
  arrivals: number;
  agents: {
    id: string;
    status: AgentStatus;
    weight: number;
    groups: string[];
    cap: number | null;
    pending: number;
    assigned: number;
    lastSeq: number;
    /** Customer ids of its open consultations, in assignment order. */
    open: string[];
    members: { pool: string; start: number; finish: number }[];
  }[];
  pools: { key: string; virtualTime: number; totalWeight: number }[];
  modes: { key: string; routed: number; robots: number }[];
  consultations: {
    customerId: string;
    orderState: string;
    since: number;
    order: number;
    priority: number;
    dedicatedAgentId?: string;
    recentContacts?: { agentId: string; at: number }[];
    excluded: string[];
    escalated: boolean;
    where: 'agent' | 'robot' | 'queued' | 'offline';
    agentId?: string;
    accountId?: string;
  }[];
  /** The contact memory, oldest first: [customerId, agentId, at]. */
  contacts: [string, string, number][];
}

type Check = (value: unknown, path: string) => void;

function fail(path: string, what: string, value: unknown): never {
  const got = value === undefined ? 'undefined' : typeof value === 'object' ? (value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object') : `${String(value)} (${typeof value})`;
  throw new RoutingError('INVALID_SNAPSHOT', `Expected \`snapshot${path}\` to be ${what}, got ${got}`, `snapshot${path}`);
}

const str: Check = (v, p) => { if (typeof v !== 'string' || v.length === 0) fail(p, 'a non-empty string', v); };
const num: Check = (v, p) => { if (typeof v !== 'number' || !Number.isFinite(v)) fail(p, 'a finite number', v); };
const count: Check = (v, p) => { if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(p, 'an integer >= 0', v); };
const bool: Check = (v, p) => { if (typeof v !== 'boolean') fail(p, 'a boolean', v); };
const optional = (check: Check): Check => (v, p) => { if (v !== undefined) check(v, p); };
const nullable = (check: Check): Check => (v, p) => { if (v !== null) check(v, p); };
const oneOf = (...allowed: string[]): Check => (v, p) => { if (typeof v !== 'string' || !allowed.includes(v)) fail(p, `one of ${allowed.join(', ')}`, v); };
const array = (check: Check): Check => (v, p) => {
  if (!Array.isArray(v)) fail(p, 'an array', v);
  (v as unknown[]).forEach((item, i) => check(item, `${p}[${i}]`));
};
const object = (shape: Record<string, Check>): Check => (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, 'an object', v);
  for (const [key, check] of Object.entries(shape)) check((v as Record<string, unknown>)[key], `${p}.${key}`);
};
const tuple = (...checks: Check[]): Check => (v, p) => {
  if (!Array.isArray(v) || v.length !== checks.length) fail(p, `an array of ${checks.length}`, v);
  checks.forEach((check, i) => check((v as unknown[])[i], `${p}[${i}]`));
};

const snapshotShape = object({
  version: num,
  options: (v, p) => { if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, 'an object', v); },
  now: nullable(num),
  seq: count,
  arrivals: count,
  agents: array(object({
    id: str, status: oneOf('online', 'suspended', 'offline'), weight: num, groups: array(str), cap: nullable(count),
    pending: count, assigned: count, lastSeq: count, open: array(str),
    members: array(object({ pool: str, start: num, finish: num })),
  })),
  pools: array(object({ key: str, virtualTime: num, totalWeight: num })),
  modes: array(object({ key: str, routed: count, robots: count })),
  consultations: array(object({
    customerId: str, orderState: str, since: num, order: count, priority: num, dedicatedAgentId: optional(str),
    recentContacts: optional(array(object({ agentId: str, at: num }))), excluded: array(str), escalated: bool,
    where: oneOf('agent', 'robot', 'queued', 'offline'), agentId: optional(str), accountId: optional(str),
  })),
  contacts: array(tuple(str, str, num)),
});

/** Checks a snapshot's shape and version before anything is built from it. */
export function readSnapshot(snapshot: unknown): RouterSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null) fail('', 'an object from Router#snapshot()', snapshot);
  const version = (snapshot as { version?: unknown }).version;
  if (version !== SNAPSHOT_VERSION) fail('.version', `${SNAPSHOT_VERSION} (this version of fenliu reads schema ${SNAPSHOT_VERSION} only)`, version);
  snapshotShape(snapshot, '');
  return snapshot as RouterSnapshot;
}
