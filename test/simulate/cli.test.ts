import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';

function run(argv: string[], io: Partial<CliIo> = {}): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, stderrIsTTY: false, ...io });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'fenliu-cli-'));
const scenarioFile = join(dir, 'shop.json');
writeFileSync(scenarioFile, JSON.stringify({
  router: {},
  agents: [{ id: 'a', cap: 3 }, { id: 'b', cap: 3 }],
  arrivals: { perHour: 40 },
  durationMs: 4 * 3_600_000,
  seed: 1,
}));
const variantsFile = join(dir, 'variants.json');
writeFileSync(variantsFile, JSON.stringify({ weighted: { router: { splitMode: 'weighted' } }, 'one agent': { agents: [{ id: 'a', cap: 6 }] } }));

/** One line, no stack trace. */
function oneLineError(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('fenliu simulate', () => {
  it('without a file runs the demo shop and tells what happened', () => {
    const { code, stdout, stderr } = run(['simulate']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('fenliu demo shop');
    expect(stdout).toMatch(/Group binding \(rule 5\)/);
    expect(stdout).toMatch(/Recent contacts \(rule 2\)/);
    expect(stdout).toMatch(/response rate ≤ 1 min/);
    expect(stdout).toMatch(/xiaomei\s+\d+\.\d%/);
  });

  it('prints the key figures per variant with --compare', () => {
    const { code, stdout } = run(['simulate', scenarioFile, '--compare', variantsFile]);
    expect(code).toBe(0);
    const header = stdout.split('\n')[0] ?? '';
    expect(header).toMatch(/base\s+weighted\s+one agent/);
    for (const row of ['consultations', 'response rate ≤ 1 min', 'first response time', 'abandoned', 'share of assignments']) expect(stdout).toContain(row);
  });

  it('--out writes a self-contained HTML report with SVG charts', () => {
    const out = join(dir, 'report.html');
    const { code, stdout } = run(['simulate', scenarioFile, `--compare=${variantsFile}`, '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Report written to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(4);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('is deterministic: the same command prints the same figures', () => {
    expect(run(['simulate', scenarioFile]).stdout).toBe(run(['simulate', scenarioFile]).stdout);
    expect(run(['simulate', scenarioFile, '--seed', '2']).stdout).not.toBe(run(['simulate', scenarioFile]).stdout);
  });

  it('draws a progress bar on stderr only when stderr is a terminal', () => {
    expect(run(['simulate', scenarioFile]).stderr).toBe('');
    const tty = run(['simulate', scenarioFile], { stderrIsTTY: true });
    expect(tty.stderr).toContain('simulating [');
    expect(tty.stderr).toContain('100%');
  });

  it.each([
    [['simulate', '--bogus'], /unknown flag --bogus/],
    [['simulate', '--out'], /--out needs a value/],
    [['simulate', '--seed', 'x'], /--seed must be an integer/],
    [['simulate', 'a.json', 'b.json'], /at most one scenario file/],
    [['simulate', join(dir, 'missing.json')], /cannot read scenario .*missing\.json: no such file/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /expected a command/],
  ])('%j fails with one line and exit code 2', (argv, message) => {
    const { code, stdout, stderr } = run(argv as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    oneLineError(stderr);
  });

  it('a file that is not JSON, or not a valid scenario, fails with one line', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "router": ');
    const parse = run(['simulate', bad]);
    expect(parse.code).toBe(2);
    expect(parse.stderr).toMatch(/is not valid JSON/);
    oneLineError(parse.stderr);
    writeFileSync(bad, JSON.stringify({ router: {}, agents: [], arrivals: { perHour: 1 }, durationMs: -1, seed: 1 }));
    const invalid = run(['simulate', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^fenliu simulate: Expected `scenario.durationMs` to be a finite number > 0, got -1/);
    oneLineError(invalid.stderr);
  });

  it('an unwritable --out fails with one line', () => {
    const { code, stderr } = run(['simulate', scenarioFile, '--out', join(dir, 'no', 'such', 'dir', 'r.html')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot write/);
    oneLineError(stderr);
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it('--help prints the usage', () => {
    const { code, stdout } = run(['simulate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: fenliu simulate');
  });
});

describe('fenliu plan', () => {
  it('delegates to the staffing table', () => {
    const { code, stdout } = run(['plan', '--arrivals-per-hour', '300', '--handle-time', '4m', '--concurrency', '3', '--target', '90%@60s']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Required: \d+ agents/);
  });

  it('bad flags fail with one line and a non-zero exit', () => {
    const { code, stderr } = run(['plan', '--arrivals-per-hour', '-1']);
    expect(code).not.toBe(0);
    oneLineError(stderr);
  });
});
