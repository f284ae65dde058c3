import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { compare, type Scenario } from '../../src/simulate/index.js';

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
    // Only progress lines, which a slow machine prints away from a terminal: no warning, no error.
    expect(stderr.split('\n').filter((line) => line !== '' && !/^fenliu simulate: (\d+% simulated|done)/.test(line))).toEqual([]);
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
    expect(run(['simulate', scenarioFile], { now: () => 0 }).stderr).toBe('');
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
    expect(invalid.stderr).toMatch(/^fenliu simulate: Expected `scenario.durationMs` to be a number in \(0, 315360000000\] \(ten years\), got -1/);
    oneLineError(invalid.stderr);
  });

  it('an unwritable --out fails with one line, before the run', () => {
    // A clock that makes every progress update due: a run that started would have said so.
    let t = 0;
    const { code, stderr } = run(['simulate', scenarioFile, '--out', join(dir, 'no', 'such', 'dir', 'r.html')], { now: () => (t += 60_000) });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^fenliu simulate: cannot write .*r\.html: ENOENT/);
    expect(run(['simulate', scenarioFile, '--out', dir], { now: () => (t += 60_000) }).stderr).toBe(`fenliu simulate: cannot write ${dir}: it is a folder\n`);
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

describe('fenliu --version and the help of each command', () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

  it.each([['--version'], ['-v']])('%s prints the package version', (flag) => {
    const { code, stdout, stderr } = run([flag]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(`${version}\n`);
  });

  it('each command has a help of its own, also as fenliu help <command>', () => {
    const general = run(['--help']).stdout;
    const simulate = run(['simulate', '--help']).stdout;
    const plan = run(['plan', '--help']).stdout;
    expect(new Set([general, simulate, plan]).size).toBe(3);
    expect(general).toMatch(/simulate[\s\S]*plan[\s\S]*--version/);
    expect(simulate).toMatch(/^Usage: fenliu simulate /);
    expect(plan).toMatch(/^Usage: fenliu plan /);
    expect(run(['help', 'simulate']).stdout).toBe(simulate);
    expect(run(['help', 'plan']).stdout).toBe(plan);
    expect(run(['simulate', '-h']).stdout).toBe(simulate);
  });

  it('simulate --help says what the scenario file holds, and its minimal example runs', () => {
    const help = run(['simulate', '--help']).stdout;
    for (const field of ['router', 'agents', 'arrivals', 'customers', 'durationMs', 'seed']) expect(help).toMatch(new RegExp(`^  ${field}\\s`, 'm'));
    const example = /\n(  \{\n[\s\S]*?\n  \})\n/.exec(help)?.[1];
    expect(example).toBeDefined();
    const file = join(dir, 'from-help.json');
    writeFileSync(file, example!);
    const result = run(['simulate', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^consultations\s+\d/m);
  });

  it('simulate --help explains what --compare keeps the same and what "base" is', () => {
    const help = run(['simulate', '--help']).stdout;
    expect(help).toMatch(/"base", is the scenario file as given/);
    expect(help).toMatch(/same arrival stream/);
    expect(help).toMatch(/follow-up\s+message/);
    // Its example of a variants file is one --compare accepts.
    const example = /\n(  \{ "weighted"[\s\S]*?)\n\n/.exec(help)?.[1];
    const file = join(dir, 'variants-from-help.json');
    writeFileSync(file, example!);
    expect(run(['simulate', scenarioFile, '--compare', file]).stdout.split('\n')[0]).toMatch(/base\s+weighted\s+one agent/);
  });
});

describe('fenliu simulate --compare says what is the same and what differs', () => {
  /** The cells of the figures-table row labelled `label`. */
  function row(stdout: string, label: string): string[] | undefined {
    return stdout.split('\n').map((line) => line.trim().split(/\s{3,}/)).find((cells) => cells[0] === label);
  }

  it('shows the same arrivals in every column, consultations and follow-ups adding up to them', () => {
    const file = join(dir, 'returning.json');
    writeFileSync(file, JSON.stringify({ router: {}, agents: [{ id: 'a', cap: 3 }, { id: 'b', cap: 3 }], arrivals: { perHour: 60 }, customers: { returningShare: 0.5 }, durationMs: 6 * 3_600_000, seed: 4 }));
    const { stdout } = run(['simulate', file, '--compare', variantsFile]);
    const arrivals = row(stdout, 'arrivals')!.slice(1);
    expect(arrivals).toHaveLength(3);
    expect(new Set(arrivals).size).toBe(1);
    const consultations = row(stdout, 'consultations')!.slice(1);
    const followUps = row(stdout, 'follow-up messages')!.slice(1);
    consultations.forEach((c, i) => expect(Number(c.replace(/,/g, '')) + Number(followUps[i]!.replace(/,/g, ''))).toBe(Number(arrivals[0]!.replace(/,/g, ''))));
    expect(stdout).toContain(`"base" is ${file} as given: 2 agents, average split, human-first reception, busy above 4 pending.`);
    expect(stdout).toContain('"weighted" router.splitMode; "one agent" agents.');
    expect(stdout).toMatch(new RegExp(`Every run had the same ${arrivals[0]} arrivals \\(seed 4\\); consultation counts differ where a customer wrote again`));
  });

  it('names the variants that change the arrivals', () => {
    const file = join(dir, 'busier.json');
    writeFileSync(file, JSON.stringify({ busier: { arrivals: { perHour: 80 } }, later: { seed: 9 }, weighted: { router: { splitMode: 'weighted' } } }));
    const { stdout } = run(['simulate', scenarioFile, '--compare', file]);
    expect(stdout).toContain('"base", "weighted" had the same');
    expect(stdout).toContain('"busier", "later" changed the arrivals');
  });

  it('a variant that adds a cost mix keeps the arrivals', () => {
    const file = join(dir, 'video.json');
    writeFileSync(file, JSON.stringify({ video: { customers: { costs: { '1': 4, '2': 1 } } }, busier: { arrivals: { perHour: 80 } } }));
    const { stdout } = run(['simulate', scenarioFile, '--compare', file]);
    expect(stdout).toContain('"base", "video" had the same');
    expect(stdout).toContain('"busier" changed the arrivals');
  });

  it('shows the consultations that met the shop closed and the quiet chats put on hold, when a run sets the option', () => {
    const file = join(dir, 'capacity.json');
    const daytime = ['09:00-18:00'];
    writeFileSync(file, JSON.stringify({
      hours: { router: { businessHours: { timeZone: 'UTC', weekly: { thu: daytime } } } },
      quiet: { router: { inactiveAfterMs: 120_000 } },
    }));
    const { stdout } = run(['simulate', scenarioFile, '--compare', file]);
    const closed = row(stdout, 'arrived while closed')!.slice(1).map((c) => Number(c.replace(/,/g, '')));
    // The 4 simulated hours are 00:00-04:00 of a Thursday: every consultation of "hours" met the shop closed.
    const consultations = row(stdout, 'consultations')!.slice(1).map((c) => Number(c.replace(/,/g, '')));
    expect(closed).toEqual([0, consultations[1], 0]);
    const holds = row(stdout, 'put on hold when quiet')!.slice(1);
    expect(holds[0]).toBe('0 (0 resumed)');
    expect(holds[2]).toMatch(/^[1-9][\d,]* \(\d+ resumed\)$/);
    expect(run(['simulate', scenarioFile]).stdout).not.toMatch(/arrived while closed|put on hold/);
  });

  it('describes the base of a scenario without router options by the router\'s defaults', () => {
    const file = join(dir, 'no-router.json');
    writeFileSync(file, JSON.stringify({ agents: [{ id: 'a' }], arrivals: { perHour: 10 }, durationMs: 3_600_000, seed: 2 }));
    const { code, stdout } = run(['simulate', file, '--compare', variantsFile]);
    expect(code).toBe(0);
    expect(stdout).toContain(`"base" is ${file} as given: 1 agent, average split, human-first reception, busy above 4 pending.`);
    expect(stdout).toContain('"weighted" router.splitMode; "one agent" agents.');
    expect(stdout).toContain('Every run had the same');
  });

  it('a single run has no comparison notes and no arrivals row', () => {
    const { stdout } = run(['simulate', scenarioFile]);
    expect(stdout).not.toMatch(/"base"|^arrivals/m);
  });
});

describe('fenliu simulate: the demo story and the progress lines', () => {
  it('the demo names the bound order states so that "none" cannot read as "nothing"', () => {
    const { stdout } = run(['simulate']);
    expect(stdout).not.toMatch(/bound to none/);
    expect(stdout).toMatch(/bound to three order states — no active order \("none"\), paid but not shipped \("unshipped"\) and "shipped"/);
  });

  it('away from a terminal, a long run writes a progress line now and then and a last one', () => {
    let clock = 0;
    const tick = (): number => (clock += 700);
    const { stderr, code } = run(['simulate', scenarioFile, '--compare', variantsFile], { now: tick });
    expect(code).toBe(0);
    const lines = stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^fenliu simulate: \d+% simulated \(run [1-3] of 3: (base|weighted|one agent)\), \d+ s$/);
    expect(lines.at(-1)).toMatch(/^fenliu simulate: done, \d+ s$/);
    expect(stderr).not.toContain('\r');
  });

  it('a quick run writes no progress at all', () => {
    expect(run(['simulate', scenarioFile, '--compare', variantsFile], { now: () => 0 }).stderr).toBe('');
  });

  it('a scenario with several problems lists each on a line of its own', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ router: {}, agents: [{ id: 'a', cap: -1 }], arrivals: { perHour: -5 }, durationMs: 0, seed: 1 }));
    const { code, stdout, stderr } = run(['simulate', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      'fenliu simulate: The scenario has 3 problems:',
      expect.stringMatching(/^  - Expected `scenario.durationMs`/),
      expect.stringMatching(/^  - Expected `scenario.arrivals.perHour`/),
      expect.stringMatching(/^  - Invalid `scenario.agents\[0\]`: .*cap/),
      '',
    ]);
  });
});

describe('fenliu simulate shows what the time options did', () => {
  function row(stdout: string, label: string): string[] | undefined {
    return stdout.split('\n').map((line) => line.trim().split(/\s{3,}/)).find((cells) => cells[0] === label);
  }
  const MIN = 60_000;
  const shop = {
    router: { answerTimeoutMs: 60_000, groups: [{ id: 'pre', orderStates: ['none', 'unpaid'], overflow: [{ afterMs: 3 * MIN, to: ['after'] }] }, { id: 'after' }] },
    agents: [{ id: 'p', groups: ['pre'], cap: 2, noAnswerShare: 0.2 }, { id: 'a1', groups: ['after'], cap: 4 }, { id: 'a2', groups: ['after'], cap: 4 }],
    arrivals: { perHour: 60 },
    customers: { returningShare: 0.4, patienceMs: { kind: 'exponential', meanMs: 10 * MIN } },
    durationMs: 4 * 3_600_000,
    seed: 3,
  };
  const variants = {
    'timeout 30 s': { router: { answerTimeoutMs: 30_000 } },
    'hold 2 min': { router: { holdForRecentContactMs: 2 * MIN } },
  };

  it('re-offers, overflows and holds get a row each, with every run\'s counts', () => {
    const file = join(dir, 'timed.json');
    const vfile = join(dir, 'timed-variants.json');
    writeFileSync(file, JSON.stringify(shop));
    writeFileSync(vfile, JSON.stringify(variants));
    const { code, stdout } = run(['simulate', file, '--compare', vfile]);
    expect(code).toBe(0);
    const { runs } = compare(shop as Scenario, variants);
    expect(row(stdout, 're-offered after no answer')?.slice(1)).toEqual(runs.map((r) => String(r.figures.reoffers)));
    expect(row(stdout, 'overflowed to another group')?.slice(1)).toEqual(runs.map((r) => String(r.figures.overflows)));
    expect(row(stdout, 'held for their recent contact')?.slice(1)).toEqual(runs.map((r) => `${r.figures.holds} (${r.figures.holdsKept} got them)`));
    expect(runs.every((r) => r.figures.reoffers > 0 && r.figures.overflows > 0)).toBe(true);
    expect(runs[2]?.figures.holds).toBeGreaterThan(0);
    expect(stdout).toContain('1 overflow step, answer timeout 60.0 s.');
  });

  it('a scenario without them shows none of those rows', () => {
    const { stdout } = run(['simulate', scenarioFile]);
    for (const label of ['re-offered after no answer', 'overflowed to another group', 'held for their recent contact', 'never answered', 'agents suspended after misses']) expect(row(stdout, label)).toBeUndefined();
  });
});
