import { RoutingError } from '../errors.js';
import { erlangA, erlangC, requiredAgents } from '../planning/index.js';
import type { ErlangAResult, ErlangCResult, Staffing } from '../planning/index.js';

/** What a CLI command hands back to the entry point, which writes it out and exits. */
export interface CommandOutput {
  /** Text for standard output (ends with a newline when not empty). */
  stdout: string;
  /** Text for standard error: one line on failure. */
  stderr: string;
  /** `0` on success, `2` for bad flags or values. */
  exitCode: number;
}

/** The `fenliu plan` usage text, also printed by `--help`. */
export const PLAN_USAGE = [
  'Usage: fenliu plan --arrivals-per-hour <n> --handle-time <duration> --target <percent>@<duration>',
  '                   [--concurrency <k>] [--patience <duration>]',
  '',
  'Prints the agents needed to answer <percent> of consultations within <duration>, with a',
  'staffing table around that count. Erlang C (M/M/n); with --patience, Erlang A (M/M/n+M),',
  'where waiting customers give up after an exponential time with that mean.',
  '',
  '  --arrivals-per-hour <n>   consultations arriving per hour, e.g. 300',
  '  --handle-time <duration>  mean handling time of one consultation, e.g. 4m',
  '  --target <p>%@<duration>  service-level target, e.g. 90%@60s',
  '  --concurrency <k>         consultations one agent serves at once (default 1)',
  '  --patience <duration>     mean patience of a waiting customer, e.g. 2m',
  '',
  'Durations take a unit: ms, s, m or h (e.g. 1500ms, 90s, 4m, 1.5h).',
  '',
].join('\n');

/** Rows shown on either side of the required agent count. */
const ROWS_AROUND = 3;

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

interface PlanFlags {
  arrivalsPerHour: number;
  handleTimeMs: number;
  concurrency: number;
  patienceMs: number | undefined;
  serviceLevel: number;
  withinMs: number;
}

/** A flag problem, reported as one line; never escapes {@link runPlan}. */
class UsageError extends Error {}

/**
 * `fenliu plan`: the staffing table for a traffic and a service-level target. Pure — it reads
 * nothing but `argv` and returns the text to print and the exit code.
 *
 * `argv` holds the arguments after the `plan` command (a leading `"plan"` is skipped). Flags take
 * their value as the next argument or after `=`. Bad flags give one line on `stderr` and exit
 * code 2; `--help` prints the usage.
 *
 * @example
 * ```ts
 * const { stdout, exitCode } = runPlan(['--arrivals-per-hour', '300', '--handle-time', '4m', '--concurrency', '3', '--target', '90%@60s']);
 * // exitCode 0; stdout ends with "Required: 9 agents (27 servers) ..."
 * ```
 */
export function runPlan(argv: readonly string[]): CommandOutput {
  const args = argv[0] === 'plan' ? argv.slice(1) : argv;
  if (args.includes('--help') || args.includes('-h')) return { stdout: PLAN_USAGE, stderr: '', exitCode: 0 };
  try {
    const flags = parseFlags(args);
    return { stdout: render(flags), stderr: '', exitCode: 0 };
  } catch (error) {
    if (error instanceof UsageError || error instanceof RoutingError) {
      return { stdout: '', stderr: `fenliu plan: ${oneLine(error.message)}\n`, exitCode: 2 };
    }
    throw error;
  }
}

function parseFlags(args: readonly string[]): PlanFlags {
  const seen = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${quote(arg)}; every value follows a flag (see --help)`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!KNOWN_FLAGS.has(name)) throw new UsageError(`unknown flag ${quote(`--${name}`)} (see --help)`);
    if (seen.has(name)) throw new UsageError(`--${name} given twice`);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value, e.g. --${name} ${KNOWN_FLAGS.get(name) ?? ''}`);
      i++;
    }
    seen.set(name, value);
  }

  const required = (name: string): string => {
    const value = seen.get(name);
    if (value === undefined) throw new UsageError(`missing --${name}, e.g. --${name} ${KNOWN_FLAGS.get(name) ?? ''}`);
    return value;
  };
  const arrivalsPerHour = parseNumber('arrivals-per-hour', required('arrivals-per-hour'));
  const handleTimeMs = parseDuration('handle-time', required('handle-time'));
  if (handleTimeMs <= 0) throw new UsageError(`--handle-time must be longer than 0, got ${quote(required('handle-time'))}`);
  const target = parseTarget(required('target'));
  const concurrencyText = seen.get('concurrency');
  const concurrency = concurrencyText === undefined ? 1 : parseCount('concurrency', concurrencyText);
  const patienceText = seen.get('patience');
  const patienceMs = patienceText === undefined ? undefined : parseDuration('patience', patienceText);
  if (patienceMs !== undefined && patienceMs <= 0) throw new UsageError(`--patience must be longer than 0, got ${quote(patienceText ?? '')}`);
  return { arrivalsPerHour, handleTimeMs, concurrency, patienceMs, ...target };
}

/** Every flag, with an example value for the error messages. */
const KNOWN_FLAGS: ReadonlyMap<string, string> = new Map([
  ['arrivals-per-hour', '300'],
  ['handle-time', '4m'],
  ['target', '90%@60s'],
  ['concurrency', '3'],
  ['patience', '2m'],
]);

function parseNumber(name: string, text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`--${name} must be a number >= 0, got ${quote(text)}`);
  return Number(text);
}

function parseCount(name: string, text: string): number {
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${name} must be a whole number >= 1, got ${quote(text)}`);
  return Number(text);
}

function parseDuration(name: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  const unit = match?.[2] === undefined ? undefined : DURATION_UNITS[match[2]];
  if (match?.[1] === undefined || unit === undefined) {
    throw new UsageError(`--${name} must be a duration with a unit (ms, s, m, h) such as 90s or 4m, got ${quote(text)}`);
  }
  return Number(match[1]) * unit;
}

function parseTarget(text: string): { serviceLevel: number; withinMs: number } {
  const match = /^(\d+(?:\.\d+)?)%@(.+)$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new UsageError(`--target must look like 90%@60s (percent answered @ within a duration), got ${quote(text)}`);
  }
  const percent = Number(match[1]);
  if (!(percent > 0 && percent < 100)) throw new UsageError(`--target percent must be above 0% and below 100%, got ${quote(text)}`);
  return { serviceLevel: percent / 100, withinMs: parseDuration('target', match[2]) };
}

function render(flags: PlanFlags): string {
  const { arrivalsPerHour, handleTimeMs, concurrency, patienceMs, serviceLevel, withinMs } = flags;
  const staffing: Staffing = requiredAgents({
    arrivalsPerHour,
    handleTimeMs,
    concurrency,
    target: { serviceLevel, withinMs },
    ...(patienceMs === undefined ? {} : { patienceMs }),
  });
  // Erlang C has rows only where agents × concurrency exceeds the offered load.
  const lowest = patienceMs === undefined ? Math.floor(staffing.offeredLoad / concurrency) + 1 : 1;
  const first = Math.max(lowest, staffing.agents - ROWS_AROUND);

  const header = ['agents', 'servers', 'service level', 'P(wait)', 'mean wait', 'occupancy', 'abandoned'];
  const rows: string[][] = [];
  for (let agents = first; agents <= staffing.agents + ROWS_AROUND; agents++) {
    const base = { arrivalsPerHour, handleTimeMs, agents, concurrency, answerWithinMs: withinMs };
    let figures: ErlangCResult;
    let abandoned = '—';
    if (patienceMs === undefined) figures = erlangC(base);
    else {
      const withAbandonment: ErlangAResult = erlangA({ ...base, patienceMs });
      figures = withAbandonment;
      abandoned = percent(withAbandonment.abandonProbability);
    }
    rows.push([
      `${agents === staffing.agents ? '→ ' : ''}${agents}`,
      String(agents * concurrency),
      percent(figures.serviceLevel),
      percent(figures.waitProbability),
      duration(figures.meanWaitMs),
      percent(figures.occupancy),
      abandoned,
    ]);
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');

  const perAgent = concurrency === 1 ? '1 consultation per agent' : `${concurrency} consultations per agent at once`;
  const model =
    patienceMs === undefined
      ? 'Erlang C (M/M/n: customers never give up)'
      : `Erlang A (M/M/n+M: customers give up after ${duration(patienceMs)} on average)`;
  return [
    `Staffing for ${number(arrivalsPerHour)} arrivals/h, handle time ${duration(handleTimeMs)}, ${perAgent}`,
    `Target: ${percent(serviceLevel)} answered within ${duration(withinMs)}. Offered load ${number(staffing.offeredLoad)} Erlangs.`,
    `Model: ${model}; each agent counts as ${concurrency} server${concurrency === 1 ? '' : 's'}.`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `Required: ${staffing.agents} agents (${staffing.servers} servers) answer ${percent(staffing.serviceLevel)} within ${duration(withinMs)} (target ${percent(serviceLevel)}).`,
    '',
  ].join('\n');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function number(value: number): string {
  return String(Number(value.toFixed(2)));
}

function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))}s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))}m`;
  return `${Number((ms / 3_600_000).toFixed(2))}h`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
