import { describe, expect, it } from 'vitest';
import { runPlan } from '../../src/cli/plan.js';
import { erlangC, requiredAgents } from '../../src/planning/index.js';
import { bruteForceErlangA } from './_oracle.js';

const EXAMPLE = ['--arrivals-per-hour', '300', '--handle-time', '4m', '--concurrency', '3', '--target', '90%@60s'];
// The example's figures from the birth–death chain, not from the library: 300 an hour × 4 min is
// 20 Erlangs, 3 servers an agent, 60 s is 0.25 handling times, and a 2 min patience gives r = 2.
const chain = (agents: number, r = 0) => bruteForceErlangA(3 * agents, 20, r, 0.25);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const escaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('fenliu plan', () => {
  it('prints a staffing table around the required agent count (Erlang C)', () => {
    const { stdout, stderr, exitCode } = runPlan(EXAMPLE);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    const required = requiredAgents({ arrivalsPerHour: 300, handleTimeMs: 240_000, concurrency: 3, target: { serviceLevel: 0.9, withinMs: 60_000 } });
    // 9 agents are the fewest that answer 90 % within a minute.
    expect(chain(9).serviceLevel).toBeGreaterThanOrEqual(0.9);
    expect(chain(8).serviceLevel).toBeLessThan(0.9);
    expect(required.agents).toBe(9);
    expect(stdout).toContain(`Required: 9 agents (27 servers), answering ${pct(chain(9).serviceLevel)} within 1m (target 90.0%).`);
    expect(stdout).toMatch(new RegExp(`→ 9\\s+27\\s+${escaped(pct(chain(9).serviceLevel))}`));
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
    const [eight, seven] = [chain(8, 2), chain(7, 2)];
    expect([eight.serviceLevel >= 0.9, seven.serviceLevel < 0.9]).toEqual([true, true]);
    expect(stdout).toContain('Required: 8 agents (24 servers)');
    // service level, P(wait), mean wait (in handling times of 240 s), occupancy (the load carried
    // by 24 servers: 20 Erlangs less the abandoned share), abandoned.
    const row = [pct(eight.serviceLevel), pct(eight.waitProbability), `${(eight.meanWait * 240).toFixed(1)}s`, pct((20 * (1 - eight.abandonProbability)) / 24), pct(eight.abandonProbability)];
    expect(stdout).toMatch(new RegExp(`→ 8\\s+24\\s+${row.map(escaped).join('\\s+')}`));
  });

  it('accepts --flag=value and every duration unit', () => {
    const a = runPlan(['--arrivals-per-hour=300', '--handle-time=240000ms', '--concurrency=3', '--target=90%@1m']);
    const b = runPlan(['--arrivals-per-hour', '300', '--handle-time', '240s', '--concurrency', '3', '--target', '90%@0.0166666666666666667h']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toContain('Required: 9 agents');
    expect(b.stdout).toContain('Required: 9 agents');
  });

  it('says "1 agent" without a servers count when each agent is one server', () => {
    const { stdout } = runPlan(['--arrivals-per-hour', '10', '--handle-time', '1m', '--target', '80%@60s']);
    expect(stdout).toMatch(/\nRequired: 1 agent, answering \d+\.\d% within 1m \(target 80\.0%\)\.\n/);
    expect(stdout).toContain('each agent counts as 1 server.');
  });

  it('accepts a rate in exponent notation', () => {
    const a = runPlan(['--arrivals-per-hour', '3e2', '--handle-time', '4m', '--concurrency', '3', '--target', '90%@60s']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(runPlan(EXAMPLE).stdout);
  });

  it('echoes a duration in the largest unit it fills: 999ms, 1s, 59s, 1m, 59m, 1h', () => {
    const base = ['--arrivals-per-hour', '10', '--handle-time', '1m', '--target'];
    for (const [given, shown] of [['999ms', '999ms'], ['1000ms', '1s'], ['59s', '59s'], ['60s', '1m'], ['59m', '59m'], ['60m', '1h']]) {
      expect(runPlan([...base, `80%@${given}`]).stdout).toContain(`Target: 80.0% answered within ${shown}.`);
    }
  });

  it('a target just below 100% is shown as given, and no service level below 100% reads as 100.0%', () => {
    const { stdout, exitCode } = runPlan(['--arrivals-per-hour', '10', '--handle-time', '1m', '--target', '99.9999%@60s']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Target: 99.9999% answered within 1m.');
    expect(stdout).toMatch(/\(target 99\.9999%\)\.\n/);
    const rows = stdout.split('\n').filter((line) => /^\s*(→ )?\d+\s+\d+\s/.test(line));
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      const agents = Number(/(\d+)/.exec(row)?.[1]);
      const { serviceLevel } = erlangC({ arrivalsPerHour: 10, handleTimeMs: 60_000, agents, answerWithinMs: 60_000 });
      const shown = row.trim().split(/\s{2,}/)[2] ?? '';
      if (serviceLevel < 1) expect(shown, `row ${agents}`).not.toBe('100.0%');
      const figure = Number(/([\d.]+)%/.exec(shown)?.[1]);
      if (!shown.startsWith('>')) expect(Math.abs(figure - serviceLevel * 100)).toBeLessThan(0.05);
    }
  });

  it('takes a handling time per concurrency level, and the concurrency from their number', () => {
    const { stdout, exitCode } = runPlan(['--arrivals-per-hour', '1000', '--handle-time', '4m,5m,6.5m', '--target', '80%@20s']);
    expect(exitCode).toBe(0);
    const levels = [240_000, 300_000, 390_000];
    const required = requiredAgents({ arrivalsPerHour: 1000, handleTimeMs: levels, target: { serviceLevel: 0.8, withinMs: 20_000 } });
    // The per-level answer needs more agents than 4 minutes at every level would.
    expect(required.agents).toBeGreaterThan(requiredAgents({ arrivalsPerHour: 1000, handleTimeMs: 240_000, concurrency: 3, target: { serviceLevel: 0.8, withinMs: 20_000 } }).agents);
    expect(stdout).toContain(`Required: ${required.agents} agents (${required.agents * 3} servers)`);
    expect(stdout).toContain('3 consultations per agent at once');
    expect(stdout).toContain('each agent holds up to 3 chats, each handled in 4m alone, 5m with 2, 6.5m with 3.');
    expect(stdout).toContain('(at 6.5m a chat, the pace at the cap)');
    const rows = stdout.split('\n').filter((line) => /^\s*(→ )?\d+\s+\d+\s/.test(line));
    for (const row of rows) {
      const agents = Number(/(\d+)/.exec(row)?.[1]);
      const { serviceLevel } = erlangC({ arrivalsPerHour: 1000, handleTimeMs: levels, agents, answerWithinMs: 20_000 });
      const shown = Number(/([\d.]+)%/.exec(row.trim().split(/\s{2,}/)[2] ?? '')?.[1]);
      expect(Math.abs(shown - serviceLevel * 100)).toBeLessThan(0.051);
    }
    // A lower cap uses the first levels only.
    const two = runPlan(['--arrivals-per-hour', '1000', '--handle-time', '4m,5m,6.5m', '--concurrency', '2', '--target', '80%@20s']);
    const wantTwo = requiredAgents({ arrivalsPerHour: 1000, handleTimeMs: [240_000, 300_000], target: { serviceLevel: 0.8, withinMs: 20_000 } });
    expect(two.stdout).toContain(`Required: ${wantTwo.agents} agents (${wantTwo.agents * 2} servers)`);
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
    [['--arrivals-per-hour', '300', '--handle-time', '4m,0s', '--target', '90%@60s'], /--handle-time must be longer than 0, got "0s"/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m,', '--target', '90%@60s'], /--handle-time must be a duration/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m,5m', '--concurrency', '3', '--target', '90%@60s'], /^fenliu plan: --handle-time: Expected `handleTimeMs` to be an array with a handling time for every level up to concurrency \(3\)/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '100%@60s'], /below 100%/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60'], /--target must be a duration/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m'], /missing --target/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60s', '--concurrency', '1.5'], /--concurrency must be a whole number/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60s', '--patience', '0m'], /--patience must be longer than 0/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60s', '--agents', '3'], /unknown flag --agents; expected --arrivals-per-hour, --handle-time, --target, --concurrency or --patience \(fenliu plan --help lists them\)/],
    [['--arrivals-per-hour', '300', '--handle-time', '4m', '--target', '90%@60s', '--help=yes'], /--help takes no value/],
    [['--arrivals-per-hour', '1e999', '--handle-time', '4m', '--target', '90%@60s'], /--arrivals-per-hour must be a finite number, got "1e999"/],
    [['--arrivals-per-hour', '0x10', '--handle-time', '4m', '--target', '90%@60s'], /--arrivals-per-hour must be a number >= 0 such as 300/],
    [['--arrivals-per-hour', '300', '--arrivals-per-hour', '400', '--handle-time', '4m', '--target', '90%@60s'], /given twice/],
    [['--arrivals-per-hour', '--handle-time', '4m', '--target', '90%@60s'], /--arrivals-per-hour needs a value/],
    [['300', '--handle-time', '4m'], /unexpected argument "300"/],
    [['--arrivals-per-hour', '1000000000000', '--handle-time', '4m', '--target', '90%@60s'], /needs more than 10000000 servers .*lower --arrivals-per-hour/],
    [['--arrivals-per-hour', '1e9', '--handle-time', '4m', '--target', '90%@60s'], /^fenliu plan: meeting the target at 1000000000 arrivals\/h needs more than 10000000 servers/],
    [['--arrivals-per-hour', '10', '--handle-time', '1m', '--target', '80%@60s', '--concurrency', '20000000'], /^fenliu plan: --concurrency must be at most 10000000 .*got "20000000"\n$/],
    [['--arrivals-per-hour', '3000000', '--handle-time', '4m', '--target', '90%@60s', '--patience', '10000000h'], /^fenliu plan: --patience: /],
  ])('exits 2 with one line for bad flags: %j', (argv, message) => {
    const { stdout, stderr, exitCode } = runPlan(argv);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^fenliu plan: [^\n]+\n$/);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
