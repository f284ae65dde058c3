import { readFileSync, writeFileSync } from 'node:fs';
import { RoutingError } from '../errors.js';
import { compare, type Comparison, type VariantRun } from '../simulate/compare.js';
import { DEMO_BUSY_HOUR, demoScenario } from '../simulate/demo.js';
import type { Scenario } from '../simulate/scenario.js';
import { runPlan } from './plan.js';
import { renderReport } from './report.js';

/** What the command line reads and writes: the process by default, anything in tests. */
export interface CliIo {
  /** Writes to standard output (the figures, the story). */
  stdout(text: string): void;
  /** Writes to standard error (errors, the progress bar). */
  stderr(text: string): void;
  /** Whether standard error is a terminal: only then is a progress bar drawn. */
  stderrIsTTY: boolean;
  /** Reads a UTF-8 file; throws (with `code: 'ENOENT'` for a missing one) when it cannot. */
  readFile(path: string): string;
  /** Writes a UTF-8 file; throws when it cannot. */
  writeFile(path: string, text: string): void;
}

/** The `fenliu` usage text, printed by `--help`. */
export const USAGE = [
  'Usage: fenliu simulate [scenario.json] [--compare variants.json] [--out report.html] [--seed <n>]',
  '       fenliu plan --arrivals-per-hour <n> --handle-time <duration> --target <percent>@<duration> [...]',
  '',
  'simulate  Runs a what-if scenario through the router and prints the key figures: response rate',
  '          within 1 minute, first response time, abandonment and each agent\'s share. Without a',
  '          file it runs a built-in demo shop and tells what happened.',
  '  --compare <file>  a JSON object of named variants (partial scenarios) to run on the same arrivals',
  '  --out <file>      also write a self-contained HTML report with charts',
  '  --seed <n>        override the scenario\'s seed',
  '',
  'plan      Prints a staffing table by Erlang C / Erlang A (fenliu plan --help for its flags).',
  '',
].join('\n');

/** A problem with the command line or its files: one line on stderr, exit code 2. */
class UsageError extends Error {}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function defaultIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFile: (path, text) => writeFileSync(path, text, 'utf8'),
  };
}

/**
 * The `fenliu` command line. Returns the exit code: 0 on success, 2 for bad flags, files or
 * scenarios (with one line on stderr), 1 for anything unexpected (also one line — never a stack trace).
 *
 * @param argv - the arguments after the program name, e.g. `['simulate', 'shop.json', '--out', 'r.html']`.
 * @param io - where to read and write; defaults to the process and the file system.
 */
export function main(argv: readonly string[], io: Partial<CliIo> = {}): number {
  const out: CliIo = { ...defaultIo(), ...io };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'simulate':
        return simulateCommand(rest, out);
      case 'plan': {
        const result = runPlan(rest);
        if (result.stdout !== '') out.stdout(result.stdout);
        if (result.stderr !== '') out.stderr(result.stderr);
        return result.exitCode;
      }
      case '--help':
      case '-h':
      case 'help':
        out.stdout(USAGE);
        return 0;
      case undefined:
        throw new UsageError('expected a command, simulate or plan (fenliu --help lists them)');
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; expected simulate or plan (fenliu --help lists them)`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof RoutingError) {
      out.stderr(`fenliu${command === 'simulate' ? ' simulate' : ''}: ${oneLine(error.message)}\n`);
      return 2;
    }
    out.stderr(`fenliu: internal error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

interface SimulateFlags {
  file: string | undefined;
  compare: string | undefined;
  out: string | undefined;
  seed: number | undefined;
  help: boolean;
}

function parseSimulateFlags(args: readonly string[]): SimulateFlags {
  const flags: SimulateFlags = { file: undefined, compare: undefined, out: undefined, seed: undefined, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--help' || arg === '-h') {
      flags.help = true;
      continue;
    }
    if (arg.startsWith('-')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      if (name !== '--compare' && name !== '--out' && name !== '--seed') throw new UsageError(`unknown flag ${name}; expected --compare, --out or --seed`);
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        value = args[i + 1];
        i++;
      }
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      const key = name.slice(2) as 'compare' | 'out' | 'seed';
      if (flags[key] !== undefined) throw new UsageError(`${name} given twice`);
      if (key === 'seed') {
        const seed = Number(value);
        if (!/^\d+$/.test(value) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer >= 0, got ${JSON.stringify(value)}`);
        flags.seed = seed;
      } else {
        flags[key] = value;
      }
      continue;
    }
    if (flags.file !== undefined) throw new UsageError(`expected at most one scenario file, got ${JSON.stringify(flags.file)} and ${JSON.stringify(arg)}`);
    flags.file = arg;
  }
  return flags;
}

function readJson(io: CliIo, path: string, what: string): unknown {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : oneLine((error as Error).message)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${oneLine((error as Error).message)}`);
  }
}

function simulateCommand(args: readonly string[], io: CliIo): number {
  const flags = parseSimulateFlags(args);
  if (flags.help) {
    io.stdout(USAGE);
    return 0;
  }
  const demo = flags.file === undefined;
  let scenario = demo ? demoScenario() : (readJson(io, flags.file as string, 'scenario') as Scenario);
  if (typeof scenario !== 'object' || scenario === null || Array.isArray(scenario)) throw new UsageError(`${flags.file} must hold a scenario object`);
  if (flags.seed !== undefined) scenario = { ...scenario, seed: flags.seed };
  let variants: Record<string, Partial<Scenario>> = {};
  if (flags.compare !== undefined) {
    const raw = readJson(io, flags.compare, 'variants');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`${flags.compare} must hold an object of named variants, e.g. { "weighted": { "router": { "splitMode": "weighted" } } }`);
    variants = raw as Record<string, Partial<Scenario>>;
  }

  const bar = io.stderrIsTTY ? progressBar(io) : undefined;
  let comparison: Comparison;
  try {
    comparison = compare(scenario, variants, bar === undefined ? {} : { onProgress: bar.update });
  } finally {
    bar?.clear();
  }

  const title = demo ? 'fenliu demo shop' : (flags.file as string);
  const story = demo ? demoStory(comparison.runs[0] as VariantRun) : [];
  let text = '';
  if (demo) text += `${title}: three days of a small shop, seed ${(comparison.runs[0] as VariantRun).scenario.seed}.\n\n${story.map((s) => `  • ${s}`).join('\n')}\n\n`;
  text += figuresTable(comparison.runs);
  if (flags.out !== undefined) {
    const html = renderReport({ title, runs: comparison.runs, notes: story });
    try {
      io.writeFile(flags.out, html);
    } catch (error) {
      throw new UsageError(`cannot write ${flags.out}: ${oneLine((error as Error).message)}`);
    }
    text += `\nReport written to ${flags.out}\n`;
  } else if (demo) {
    text += '\nRun `fenliu simulate --out report.html` for charts, or give a scenario file of your own.\n';
  }
  io.stdout(text);
  return 0;
}

function progressBar(io: CliIo): { update: (done: number, total: number) => void; clear: () => void } {
  let shown = -1;
  return {
    update: (done, total) => {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (pct === shown) return;
      shown = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      io.stderr(`\rsimulating [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%`);
    },
    clear: () => {
      if (shown >= 0) io.stderr('\r\x1b[2K');
    },
  };
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(x * 100).toFixed(1)}%`;
}

function secs(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

/** At most this many agents are listed by name; the rest are summed as "others". */
const MAX_AGENT_ROWS = 12;

/** The key figures, one column per run: rows read the same across variants. */
export function figuresTable(runs: readonly VariantRun[]): string {
  const rows: string[][] = [['', ...runs.map((r) => r.name)]];
  const add = (label: string, f: (r: VariantRun) => string): void => {
    rows.push([label, ...runs.map(f)]);
  };
  add('consultations', (r) => r.figures.consultations.toLocaleString('en-US'));
  add('response rate ≤ 1 min', (r) => pct(r.figures.responseRate1m));
  add('first response time', (r) => secs(r.figures.firstResponseTimeMs));
  add('abandoned', (r) => `${pct(r.figures.abandonmentRate)} (${r.figures.abandonments})`);
  if (runs.some((r) => r.figures.robotResolved > 0)) add('resolved by robot', (r) => r.figures.robotResolved.toLocaleString('en-US'));
  if (runs.some((r) => r.figures.offlineMessages > 0)) add('offline messages', (r) => r.figures.offlineMessages.toLocaleString('en-US'));
  rows.push(['share of assignments', ...runs.map(() => '')]);
  const ids: string[] = [];
  for (const r of runs) for (const a of r.figures.agents) if (!ids.includes(a.agentId)) ids.push(a.agentId);
  const total = (id: string): number => runs.reduce((sum, r) => sum + (r.figures.agents.find((a) => a.agentId === id)?.assignments ?? 0), 0);
  const shown = ids.length <= MAX_AGENT_ROWS ? ids : [...ids].sort((p, q) => total(q) - total(p) || (p < q ? -1 : 1)).slice(0, MAX_AGENT_ROWS);
  for (const id of ids) {
    if (!shown.includes(id)) continue;
    add(`  ${id}`, (r) => pct(r.figures.agents.find((a) => a.agentId === id)?.share ?? null));
  }
  if (shown.length < ids.length) {
    add(`  ${ids.length - shown.length} others`, (r) => pct(r.figures.agents.filter((a) => !shown.includes(a.agentId)).reduce((sum, a) => sum + (a.share ?? 0), 0)));
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => [...(row[c] ?? '')].length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('   ').trimEnd()).join('\n') + '\n';
}

/** What happened in the demo shop, in a few sentences a newcomer can check against the rules. */
function demoStory(run: VariantRun): string[] {
  const { result, scenario, figures } = run;
  const agentDecisions = result.decisions.filter((d) => d.kind === 'agent');
  const count = (pred: (d: (typeof agentDecisions)[number]) => boolean): number => agentDecisions.filter(pred).length;
  const assigned = (id: string): number => figures.agents.find((a) => a.agentId === id)?.assignments ?? 0;
  const lines: string[] = [];
  lines.push(`${figures.consultations.toLocaleString('en-US')} consultations (and ${figures.followUps} follow-up messages in open chats); ${pct(figures.responseRate1m)} were answered by a human within 1 minute, after ${secs(figures.firstResponseTimeMs)} on average.`);
  lines.push(`Group binding (rule 5): xiaomei's group jia is bound to none, unshipped and shipped; ahua's group yi binds nothing. Consultations in those states go to xiaomei alone and the rest are shared, so xiaomei received ${assigned('xiaomei')} and ahua ${assigned('ahua')}.`);
  const day3 = (id: string, reason?: string): number => count((d) => d.at >= 2 * DAY && d.agentId === id && (reason === undefined || d.reason === reason));
  lines.push(`Recent contacts (rule 2): on day 3 laowang, who also worked days 1 and 2, received ${day3('laowang')} (${day3('laowang', 'recent-contact')} of them returning customers he had served), while xiaoxin, new that day, received ${day3('xiaoxin')}, ${day3('xiaoxin', 'split')} of them new customers shared with the others.`);
  const busy = result.consultations.filter((c) => Math.floor((c.arrivedAt % DAY) / HOUR) === DEMO_BUSY_HOUR);
  const quiet = result.consultations.filter((c) => { const h = Math.floor((c.arrivedAt % DAY) / HOUR); return h >= 9 && h < 23 && h !== DEMO_BUSY_HOUR; });
  const within = (list: typeof busy): number | null => (list.length === 0 ? null : list.filter((c) => c.firstReplyAt !== null && c.firstReplyAt - c.arrivedAt <= 60_000).length / list.length);
  const queue = result.series.queue;
  const peak = Math.max(0, ...queue);
  const peakAt = result.series.times[queue.indexOf(peak)] ?? 0;
  const rates = 'perHour' in scenario.arrivals && Array.isArray(scenario.arrivals.perHour) ? scenario.arrivals.perHour : [];
  lines.push(`Busy hour (${DEMO_BUSY_HOUR}:00–${DEMO_BUSY_HOUR + 1}:00, ${rates[DEMO_BUSY_HOUR] ?? '?'} consultations an hour against ${rates[DEMO_BUSY_HOUR - 1] ?? '?'} the hour before): ${pct(within(busy))} of its ${busy.length} customers got a human reply within 1 minute, against ${pct(within(quiet))} during the rest of the working day; the queue peaked at ${peak} (day ${Math.floor(peakAt / DAY) + 1}, ${String(Math.floor((peakAt % DAY) / HOUR)).padStart(2, '0')}:${String(Math.floor((peakAt % HOUR) / 60_000)).padStart(2, '0')}).`);
  const robot = result.decisions.filter((d) => d.kind === 'robot');
  const mixed = robot.filter((d) => d.reason === 'mixed').length;
  lines.push(`Robot in mixed mode (rule 4): it took ${mixed} consultations by the ${Math.round((scenario.router.robotRatio ?? 0) * 100)} % ratio and ${robot.length - mixed} that no agent could take (at night, or with everyone at their cap); it resolved ${figures.robotResolved} and handed the rest to a human.`);
  const night = result.abandonments.filter((a) => { const h = Math.floor((a.at % DAY) / HOUR); return h < 9 || h >= 23; }).length;
  lines.push(`${figures.abandonments} customers gave up waiting in the queue, ${night} of them at night, when the robot hands over and nobody is on duty until 09:00.`);
  return lines;
}
