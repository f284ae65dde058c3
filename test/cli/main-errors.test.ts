import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, USAGE, type CliIo } from '../../src/cli/main.js';

const HOUR = 3_600_000;

/** Runs the CLI on in-memory files: `files` maps a path to its text; other paths do not exist. */
function run(argv: string[], files: Record<string, string> = {}, io: Partial<CliIo> = {}): { code: number; stdout: string; stderr: string; written: Map<string, string> } {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  const code = main(argv, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    stderrIsTTY: false,
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
    writeFile: (path, text) => { written.set(path, text); },
    ...io,
  });
  return { code, stdout, stderr, written };
}

/** Exactly one line on stderr, no stack trace, nothing on stdout. */
function expectOneLineError(result: { stdout: string; stderr: string }, message: RegExp): void {
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const tiny = JSON.stringify({ router: {}, agents: [{ id: 'a' }], arrivals: { perHour: 20 }, durationMs: HOUR, seed: 1 });

describe('fenliu help', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints the usage and exits 0', (flag) => {
    const result = run([flag]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(USAGE);
    expect(result.stderr).toBe('');
  });

  it('help on a command that does not exist is an error, not the overview', () => {
    const result = run(['help', 'simualte']);
    expect(result.code).toBe(2);
    expectOneLineError(result, /^fenliu: no help on "simualte"; expected simulate or plan/);
  });
});

describe('fenliu simulate: bad flags give one line on stderr and exit code 2', () => {
  it.each([
    [['simulate', 'shop.json', '--seed', '1', '--seed', '2'], /--seed given twice/],
    [['simulate', 'shop.json', '--out=a.html', '--out=b.html'], /--out given twice/],
    [['simulate', 'shop.json', '--compare', 'v.json', '--compare=w.json'], /--compare given twice/],
    [['simulate', 'shop.json', '--out='], /--out needs a value/],
    [['simulate', 'shop.json', '--compare', '--out', 'r.html'], /--compare needs a value/],
    [['simulate', 'shop.json', '--seed=-1'], /--seed must be an integer >= 0, got "-1"/],
    [['simulate', 'shop.json', '--seed', '1e3'], /--seed must be an integer >= 0, got "1e3"/],
    [['simulate', 'shop.json', '--seed', '99999999999999999999'], /--seed must be an integer >= 0/],
    [['simulate', 'shop.json', '-v'], /unknown flag -v; expected --compare, --out or --seed/],
    [['simulate', 'shop.json', '--verbose=1'], /unknown flag --verbose;/],
    [['simulate', 'shop.json', '--toString'], /unknown flag --toString; expected --compare, --out or --seed \(fenliu simulate --help lists them\)/],
    [['simulate', 'shop.json', '--help=yes'], /--help takes no value, got "yes"/],
    [['simulate', '--', '--shop.json'], /cannot read scenario --shop\.json: no such file/],
  ])('%j', (argv, message) => {
    const result = run(argv, { 'shop.json': tiny });
    expect(result.code).toBe(2);
    expectOneLineError(result, message);
    expect(result.stderr.startsWith('fenliu simulate: ')).toBe(true);
  });
});

describe('fenliu simulate: bad files give one line on stderr and exit code 2', () => {
  it('a scenario file that cannot be read for another reason than absence shows the reason', () => {
    const result = run(['simulate', 'locked.json'], {}, {
      readFile: () => { throw Object.assign(new Error("EACCES: permission denied,\n  open 'locked.json'"), { code: 'EACCES' }); },
    });
    expect(result.code).toBe(2);
    expectOneLineError(result, /^fenliu simulate: cannot read scenario locked\.json: EACCES: permission denied, open 'locked\.json'\n$/);
  });

  it('a missing variants file is named as the variants', () => {
    const result = run(['simulate', 'shop.json', '--compare', 'nope.json'], { 'shop.json': tiny });
    expect(result.code).toBe(2);
    expectOneLineError(result, /cannot read variants nope\.json: no such file/);
  });

  it('a scenario saved with a byte-order mark is read as JSON', () => {
    const result = run(['simulate', 'shop.json'], { 'shop.json': `\ufeff${tiny}` });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(run(['simulate', 'shop.json'], { 'shop.json': tiny }).stdout);
  });

  it('a variants file that is not JSON names that file', () => {
    const result = run(['simulate', 'shop.json', '--compare', 'v.json'], { 'shop.json': tiny, 'v.json': '{ weighted: ' });
    expect(result.code).toBe(2);
    expectOneLineError(result, /^fenliu simulate: v\.json is not valid JSON: /);
  });

  it.each([['[1, 2]'], ['42'], ['null'], ['"shop"']])('a scenario file holding %s is not a scenario', (text) => {
    const result = run(['simulate', 'shop.json'], { 'shop.json': text });
    expect(result.code).toBe(2);
    expectOneLineError(result, /shop\.json must hold a scenario object/);
  });

  it.each([['[]'], ['"weighted"'], ['null']])('a variants file holding %s is not an object of variants', (text) => {
    const result = run(['simulate', 'shop.json', '--compare', 'v.json'], { 'shop.json': tiny, 'v.json': text });
    expect(result.code).toBe(2);
    expectOneLineError(result, /v\.json must hold an object of named variants/);
  });

  it('a bad variant is named in the one-line error', () => {
    const result = run(['simulate', 'shop.json', '--compare', 'v.json'], { 'shop.json': tiny, 'v.json': JSON.stringify({ slow: { durationMs: 0 } }) });
    expect(result.code).toBe(2);
    expectOneLineError(result, /In variant "slow": Expected `scenario\.durationMs`/);
  });

  it('a variant may not be called base', () => {
    const result = run(['simulate', 'shop.json', '--compare', 'v.json'], { 'shop.json': tiny, 'v.json': JSON.stringify({ base: {} }) });
    expect(result.code).toBe(2);
    expectOneLineError(result, /variant names other than 'base'/);
  });

  it('--seed overrides the seed of the file, including an invalid one there', () => {
    const file = JSON.stringify({ ...JSON.parse(tiny), seed: -1 });
    expect(run(['simulate', 'shop.json'], { 'shop.json': file }).code).toBe(2);
    const seeded = run(['simulate', 'shop.json', '--seed', '1'], { 'shop.json': file });
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toBe(run(['simulate', 'shop.json'], { 'shop.json': tiny }).stdout);
  });
});

describe('fenliu: unexpected failures give one line and exit code 1', () => {
  it('a failing standard output (e.g. a closed pipe) is an internal error, not a stack trace', () => {
    const result = run(['simulate', 'shop.json'], { 'shop.json': tiny }, { stdout: () => { throw new Error('write EPIPE'); } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fenliu: internal error: write EPIPE\n');
  });

  it('a thrown non-Error value is shown as text', () => {
    const result = run(['--help'], {}, { stdout: () => { throw 'stdout closed'; } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fenliu: internal error: stdout closed\n');
  });
});

describe('fenliu simulate: the figures table', () => {
  /** The table's cells of the row whose label is `label` (trimmed), split on its column gaps. */
  function row(stdout: string, label: string): string[] | undefined {
    return stdout.split('\n').map((line) => line.trim().split(/\s{3,}/)).find((cells) => cells[0] === label);
  }

  it('shows – for a first response time when nobody was answered, and lists offline messages', () => {
    const scenario = { router: { noAgent: 'main', mainAccountId: 'boss' }, agents: [{ id: 'a', status: 'offline' }], arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: 1_000, customerId: 'c2' }] }, durationMs: HOUR, seed: 1 };
    const result = run(['simulate', 'shop.json'], { 'shop.json': JSON.stringify(scenario) });
    expect(result.code).toBe(0);
    expect(row(result.stdout, 'consultations')).toEqual(['consultations', '2']);
    expect(row(result.stdout, 'first response time')).toEqual(['first response time', '–']);
    expect(row(result.stdout, 'offline messages')).toEqual(['offline messages', '2']);
    expect(row(result.stdout, 'a')).toEqual(['a', '–']);
  });

  it('omits the offline-message row when there were none', () => {
    const result = run(['simulate', 'shop.json'], { 'shop.json': tiny });
    expect(result.code).toBe(0);
    expect(row(result.stdout, 'offline messages')).toBeUndefined();
  });

  it('shows first response times of two minutes or more in minutes', () => {
    const scenario = { router: {}, agents: [{ id: 'a', replyTimeMs: { kind: 'fixed', ms: 300_000 }, handleTimeMs: { kind: 'fixed', ms: 600_000 } }], arrivals: { trace: [{ at: 0, customerId: 'c' }] }, durationMs: HOUR, seed: 1 };
    const result = run(['simulate', 'shop.json'], { 'shop.json': JSON.stringify(scenario) });
    expect(row(result.stdout, 'first response time')).toEqual(['first response time', '5.0 min']);
  });

  it('lists the 12 busiest agents by name and sums the rest as others', () => {
    // Agents a1…a12 get two dedicated customers each, a13 one and a14 none: 25 assignments.
    const agents = Array.from({ length: 14 }, (_, i) => ({ id: `a${i + 1}` }));
    const trace: { at: number; customerId: string; dedicatedAgentId: string }[] = [];
    for (let i = 1; i <= 13; i++) for (let k = 0; k < (i <= 12 ? 2 : 1); k++) trace.push({ at: trace.length * 1_000, customerId: `c${trace.length}`, dedicatedAgentId: `a${i}` });
    const scenario = { router: {}, agents, arrivals: { trace }, durationMs: HOUR, seed: 1 };
    const result = run(['simulate', 'shop.json'], { 'shop.json': JSON.stringify(scenario) });
    expect(result.code).toBe(0);
    for (let i = 1; i <= 12; i++) expect(row(result.stdout, `a${i}`)).toEqual([`a${i}`, '8.0%']);
    expect(row(result.stdout, 'a13')).toBeUndefined();
    expect(row(result.stdout, 'a14')).toBeUndefined();
    expect(row(result.stdout, '2 others')).toEqual(['2 others', '4.0%']);
  });

  it('--out with a scenario file writes the report and says where, without the demo hint', () => {
    const result = run(['simulate', 'shop.json', '--out', 'r.html'], { 'shop.json': tiny });
    expect(result.code).toBe(0);
    expect(result.written.get('r.html')).toMatch(/^<!doctype html>[\s\S]*<title>shop\.json — fenliu simulation<\/title>/);
    expect(result.stdout).toMatch(/\nReport written to r\.html\n$/);
    expect(result.stdout).not.toMatch(/fenliu simulate --out report\.html/);
  });
});

describe('the fenliu executable writing its output', () => {
  const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const bin = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
  const exec = (stdout: 'pipe' | number, close: boolean): Promise<{ code: number | null; stderr: string }> => new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, bin, 'plan', '--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60s'], { stdio: ['ignore', stdout, 'pipe'] });
    if (close) child.stdout?.destroy();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stderr }));
  });

  it('stops quietly when its reader went away (| head), and says in one line that it could not write to a full disk', async () => {
    expect(await exec('pipe', true)).toEqual({ code: 0, stderr: '' });
    const full = openSync('/dev/full', 'w');
    try {
      expect(await exec(full, false)).toEqual({ code: 1, stderr: 'fenliu: cannot write the output: ENOSPC: no space left on device, write\n' });
    } finally {
      closeSync(full);
    }
  }, 30_000);
});
