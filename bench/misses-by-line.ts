import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which source lines a cycle's cache misses come from: the second half of `bench/misses.sh`, which
 * runs the bundled workload twice under callgrind (with CYCLES steady-state cycles and with none),
 * with V8 printing every optimised function's code (`--print-opt-code`). Each instruction's counts
 * are mapped through its function's source-position table to a line of the bundle; the run without
 * the cycles is subtracted and the rest divided by CYCLES. The write barrier's tests of a page's
 * flags (`test [reg+0x8],…`, the header V8 keeps at the start of each heap page) get a line of their
 * own, since they belong to no statement.
 *
 * `tsx bench/misses-by-line.ts DIR CYCLES TOP` (DIR holds run.out, run.code, base.out, base.code and
 * instructions.mjs).
 */

interface CodeObject {
  start: number;
  size: number;
  /** Source positions: pc offsets ascending, and the script offset at each. */
  offsets: number[];
  positions: number[];
  /** Instruction addresses that test a page's flags. */
  flagTests: Set<number>;
}

const [dir = '.', cyclesArg = '100000', topArg = '30'] = process.argv.slice(2);
const cycles = Number(cyclesArg);
const top = Number(topArg);
const bundle = readFileSync(join(dir, 'instructions.mjs'), 'utf8');
const lineStarts = [0];
for (let i = 0; i < bundle.length; i++) if (bundle.charCodeAt(i) === 10) lineStarts.push(i + 1);
const bundleLines = bundle.split('\n');

/** The last index i with sorted[i] <= x, or -1. */
function floorIndex(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function readCode(path: string): CodeObject[] {
  const objects: CodeObject[] = [];
  let cur: CodeObject | undefined;
  let state: 'none' | 'instructions' | 'positions' = 'none';
  for (const line of readFileSync(path, 'latin1').split('\n')) {
    if (line.startsWith('name = ')) {
      cur = { start: -1, size: 0, offsets: [], positions: [], flagTests: new Set() };
      state = 'none';
    } else if (cur === undefined) {
      continue;
    } else if (line.startsWith('Instructions (size = ')) {
      cur.size = Number(line.slice('Instructions (size = '.length, -1));
      state = 'instructions';
    } else if (state === 'instructions' && line.startsWith('0x')) {
      const address = parseInt(line, 16);
      if (cur.start < 0) cur.start = address;
      if (/\btest[bl] \[r\w+\+0x8\],0x/.test(line)) cur.flagTests.add(address);
    } else if (line.startsWith('Source positions:')) {
      state = 'positions';
    } else if (state === 'positions') {
      const m = /^\s+([0-9a-f]+)\s+(\d+)\s*$/.exec(line);
      if (m !== null) {
        cur.offsets.push(parseInt(m[1] as string, 16));
        cur.positions.push(Number(m[2]));
      } else if (!line.includes('pc offset')) {
        if (cur.start >= 0) objects.push(cur);
        cur = undefined;
        state = 'none';
      }
    }
  }
  return objects.sort((a, b) => a.start - b.start);
}

/** Callgrind's self cost per instruction address, for the events named in `events`, and the name of the function each address was counted in. */
function readCosts(path: string, events: readonly string[]): { costs: Map<number, number[]>; functionOf: Map<number, string> } {
  const costs = new Map<number, number[]>();
  const functionOf = new Map<number, string>();
  const names = new Map<string, string>(); // callgrind's name compression: "(id) name" once, "(id)" after
  let fn = '?';
  let columns: number[] = [];
  let last: number[] = [];
  let skipNext = false;
  const num = (t: string): number => (t.startsWith('0x') ? parseInt(t, 16) : Number(t));
  const named = (spec: string): string => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(spec);
    if (m === null) return spec;
    if (m[2] !== undefined) names.set(m[1] as string, m[2]);
    return names.get(m[1] as string) ?? spec;
  };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const c = line.charCodeAt(0);
    if (line.startsWith('positions:')) {
      last = line.split(/\s+/).slice(1).map(() => 0);
    } else if (line.startsWith('events:')) {
      const all = line.split(/\s+/).slice(1);
      columns = events.map((e) => {
        const i = all.indexOf(e);
        if (i < 0) throw new Error(`${path} counts no ${e} (events: ${all.join(' ')}); was callgrind run with --cache-sim=yes?`);
        return i;
      });
    } else if (line.startsWith('fn=')) {
      fn = named(line.slice(3));
    } else if (line.startsWith('cfn=')) {
      named(line.slice(4));
    } else if (line.startsWith('calls=')) {
      // The next cost line is the call's inclusive cost, not this function's own; its position
      // still counts as the last one for the relative positions after it.
      skipNext = true;
    } else if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42) {
      const t = line.split(' ');
      for (let k = 0; k < last.length; k++) {
        const p = t[k] as string;
        last[k] = p === '*' ? (last[k] as number) : p[0] === '+' ? (last[k] as number) + num(p.slice(1)) : p[0] === '-' ? (last[k] as number) - num(p.slice(1)) : num(p);
      }
      if (skipNext) {
        skipNext = false;
        continue;
      }
      const address = last[0] as number;
      let row = costs.get(address);
      if (row === undefined) {
        costs.set(address, (row = events.map(() => 0)));
        functionOf.set(address, fn);
      }
      for (let e = 0; e < columns.length; e++) row[e] = (row[e] as number) + Number(t[last.length + (columns[e] as number)] ?? 0);
    }
  }
  return { costs, functionOf };
}

const EVENTS = ['DLmr', 'D1mr', 'Ir'] as const;
const BARRIER = 'write barrier: page flags';

function byLine(name: string): Map<string, number[]> {
  const objects = readCode(join(dir, `${name}.code`));
  const starts = objects.map((o) => o.start);
  const { costs, functionOf } = readCosts(join(dir, `${name}.out`), EVENTS);
  const out = new Map<string, number[]>();
  for (const [address, row] of costs) {
    let key = `outside optimised code: ${functionOf.get(address) ?? '?'}`;
    const i = floorIndex(starts, address);
    const o = objects[i];
    if (o !== undefined && address < o.start + o.size) {
      if (o.flagTests.has(address)) {
        key = BARRIER;
      } else {
        const j = floorIndex(o.offsets, address - o.start);
        key = j < 0 ? 'optimised code, no position' : `L${floorIndex(lineStarts, o.positions[j] as number) + 1}`;
      }
    }
    let sum = out.get(key);
    if (sum === undefined) out.set(key, (sum = EVENTS.map(() => 0)));
    for (let e = 0; e < EVENTS.length; e++) sum[e] = (sum[e] as number) + (row[e] as number);
  }
  return out;
}

const run = byLine('run');
const base = byLine('base');
const rows: { key: string; v: number[] }[] = [];
for (const key of new Set([...run.keys(), ...base.keys()])) {
  const a = run.get(key) ?? EVENTS.map(() => 0);
  const b = base.get(key) ?? EVENTS.map(() => 0);
  rows.push({ key, v: a.map((x, e) => (x - (b[e] as number)) / cycles) });
}
rows.sort((a, b) => (b.v[0] as number) - (a.v[0] as number));
const total = rows.reduce((s, r) => s + (r.v[0] as number), 0);
console.log(`per cycle: ${total.toFixed(2)} reads missing the 2 MB cache, ${rows.reduce((s, r) => s + (r.v[1] as number), 0).toFixed(1)} L1d read misses`);
console.log(' 2 MB L1d rd  instr  line');
const shown = rows.slice(0, top);
// The barrier's flag tests miss the L1d more than the 2 MB cache: show them wherever they rank.
const barrier = rows.find((r) => r.key === BARRIER);
if (barrier !== undefined && !shown.includes(barrier)) shown.push(barrier);
for (const r of shown) {
  const text = r.key.startsWith('L') ? (bundleLines[Number(r.key.slice(1)) - 1] ?? '').trim().slice(0, 100) : '';
  console.log(`${(r.v[0] as number).toFixed(2).padStart(5)} ${(r.v[1] as number).toFixed(2).padStart(6)} ${(r.v[2] as number).toFixed(0).padStart(6)}  ${r.key.startsWith('L') ? `${r.key.padEnd(6)} ${text}` : r.key}`);
}
