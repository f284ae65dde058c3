import { describe, expect, it } from 'vitest';
import { runPlan } from '../../src/cli/plan.js';
import { requiredAgents } from '../../src/planning/index.js';

const EXAMPLE = ['--arrivals-per-hour', '300', '--handle-time', '4m', '--concurrency', '3', '--target', '90%@60s'];

describe('fenliu plan', () => {
  it('prints a staffing table around the required agent count (Erlang C)', () => {
    const { stdout, stderr, exitCode } = runPlan(EXAMPLE);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    const required = requiredAgents({ arrivalsPerHour: 300, handleTimeMs: 240_000, concurrency: 3, target: { serviceLevel: 0.9, withinMs: 60_000 } });
    expect(required.agents).toBe(9);
    expect(stdout).toContain('Required: 9 agents (27 servers)');
    expect(stdout).toMatch(/→ 9\s+27\s+98\.3%/);
    expect(stdout).toContain('Erlang C');
    for (const column of ['agents', 'servers', 'service level', 'P(wait)', 'mean wait', 'occupancy', 'abandoned']) expect(stdout).toContain(column);
    // Rows from the lowest stable count (7: 21 servers > 20 Erlangs) to three above the answer.
    const rows = stdout.split('\n').filter((line) => /^\s*(→ )?\d+\s+\d+\s/.test(line));
    expect(rows.map((line) => Number(/(\d+)/.exec(line)?.[1]))).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('uses Erlang A with --patience and shows abandonment', () => {
    const { stdout, exitCode } = runPlan(['plan', ...EXAMPLE, '--patience', '2m']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Erlang A');
    expect(stdout).toContain('Required: 8 agents (24 servers)');
    expect(stdout).toMatch(/→ 8\s+24\s+96\.1%\s+18\.5%\s+3\.9s\s+80\.6%\s+3\.2%/);
  });

  it('accepts --flag=value and every duration unit', () => {
    const a = runPlan(['--arrivals-per-hour=300', '--handle-time=240000ms', '--concurrency=3', '--target=90%@1m']);
    const b = runPlan(['--arrivals-per-hour', '300', '--handle-time', '240s', '--concurrency', '3', '--target', '90%@0.0166666666666666667h']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toContain('Required: 9 agents');
    expect(b.stdout).toContain('Required: 9 agents');
  });

  it('prints the usage for --help', () => {
    const { stdout, exitCode } = runPlan(['--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^Usage: fenliu plan /);
  });

  it.each([
    [['--arrivals-per-hour', '300', '--handle-time', '4', '--target', '90%@60s'], /--handle-time must be a duration/],
    [['--arrivals-per-hour', '-3', '--handle-time', '4m', '--target', '90%@60s'], /--arrivals-per-hour/],
    [['--arrivals-per-hour', 'NaN', '--handle-time', '4m', '--target', '90%@60s'], /--arrivals-per-hour must be a number/],
    [['--arrivals-per-hour', '300', '--handle-time', '0s', '--target', '90%@60s'], /--handle-time must be longer than 0/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%'], /--target must look like 90%@60s/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '100%@60s'], /below 100%/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60'], /--target must be a duration/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m'], /missing --target/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60s', '--concurrency', '1.5'], /--concurrency must be a whole number/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60s', '--patience', '0m'], /--patience must be longer than 0/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60s', '--agents', '3'], /unknown flag "--agents"/],
    [['--arrivals-per-hour', '300', '--arrivals-per-hour', '400', '--handle-time', '4m', '--target', '90%@60s'], /given twice/],
    [['--arrivals-per-hour', '--handle-time', '4m', '--target', '90%@60s'], /--arrivals-per-hour needs a value/],
    [['300', '--handle-time', '4m'], /unexpected argument "300"/],
    [['--arrivals-per-hour', '1000000000000', '--handle-time', '4m', '--target', '90%@60s'], /at most 10000000 servers/],
  ])('exits 2 with one line for bad flags: %j', (argv, message) => {
    const { stdout, stderr, exitCode } = runPlan(argv);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^fenliu plan: [^\n]+\n$/);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
