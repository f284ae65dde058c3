import { RoutingError } from '../errors.js';
import { staffingSearch } from '../planning/erlang.js';
import { MAX_SERVERS } from '../planning/index.js';
import { readFlags, UsageError, type FlagSpec } from './flags.js';
import { oneLine, pct, plural } from './format.js';

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
  '  --handle-time <duration>  mean handling time of one consultation, e.g. 4m; or one per',
  '                            number of chats an agent holds, e.g. 4m,5m,6.5m (4m alone,',
  '                            5m each with two, 6.5m each with three)',
  '  --target <p>%@<duration>  service-level target, e.g. 90%@60s',
  '  --concurrency <k>         consultations one agent serves at once (default 1, or the',
  '                            number of handle times given)',
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
  /** One time, or one per concurrency level. */
  handleTimeMs: number | number[];
  concurrency: number;
  patienceMs: number | undefined;
  serviceLevel: number;
  withinMs: number;
}

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
 * // exitCode 0; stdout ends with "Required: 9 agents (27 servers), answering ..."
 * ```
 */
export function runPlan(argv: readonly string[]): CommandOutput {
  const args = argv[0] === 'plan' ? argv.slice(1) : argv;
  try {
    const { values, positionals } = readFlags('fenliu plan', args, FLAGS);
    if (values.has('help')) return { stdout: PLAN_USAGE, stderr: '', exitCode: 0 };
    if (positionals[0] !== undefined) throw new UsageError(`unexpected argument ${quote(positionals[0])}; every value follows a flag (fenliu plan --help lists them)`);
    const flags = planFlags(values);
    let stdout: string;
    try {
      stdout = render(flags);
    } catch (error) {
      throw asFlagError(error, flags);
    }
    return { stdout, stderr: '', exitCode: 0 };
  } catch (error) {
    if (error instanceof UsageError || error instanceof RoutingError) {
      return { stdout: '', stderr: `fenliu plan: ${oneLine(error.message)}\n`, exitCode: 2 };
    }
    throw error;
  }
}

/** Every flag, with an example value for the messages. */
const FLAGS: Readonly<Record<string, FlagSpec>> = {
  'arrivals-per-hour': { example: '300' },
  'handle-time': { example: '4m' },
  target: { example: '90%@60s' },
  concurrency: { example: '3' },
  patience: { example: '2m' },
  help: { short: 'h' },
};

function planFlags(values: ReadonlyMap<string, string | true>): PlanFlags {
  const required = (name: string): string => {
    const value = values.get(name);
    if (typeof value !== 'string') throw new UsageError(`missing --${name}, e.g. --${name} ${FLAGS[name]?.example ?? ''}`);
    return value;
  };
  const optional = (name: string): string | undefined => {
    const value = values.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const arrivalsPerHour = parseNumber('arrivals-per-hour', required('arrivals-per-hour'));
  const handleTimes = required('handle-time').split(',').map((text) => {
    const ms = parseDuration('handle-time', text);
    if (ms <= 0) throw new UsageError(`--handle-time must be longer than 0, got ${quote(text)}`);
    return ms;
  });
  const handleTimeMs = handleTimes.length === 1 ? (handleTimes[0] as number) : handleTimes;
  const target = parseTarget(required('target'));
  const concurrencyText = optional('concurrency');
  const concurrency = concurrencyText === undefined ? handleTimes.length : parseCount('concurrency', concurrencyText);
  // The table stops at MAX_SERVERS servers; past it even one agent is too many to compute.
  if (concurrency > MAX_SERVERS) throw new UsageError(`--concurrency must be at most ${MAX_SERVERS} (the most servers, agents × concurrency, the table computes), got ${quote(concurrencyText ?? '')}`);
  const patienceText = optional('patience');
  const patienceMs = patienceText === undefined ? undefined : parseDuration('patience', patienceText);
  if (patienceMs !== undefined && patienceMs <= 0) throw new UsageError(`--patience must be longer than 0, got ${quote(patienceText ?? '')}`);
  return { arrivalsPerHour, handleTimeMs, concurrency, patienceMs, ...target };
}

function parseNumber(name: string, text: string): number {
  if (!/^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw new UsageError(`--${name} must be a number >= 0 such as 300 or 1.5e3, got ${quote(text)}`);
  const value = Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} must be a finite number, got ${quote(text)}`);
  return value;
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
  if (!(percent > 0 && percent < 100)) {
    throw new UsageError(`--target percent must be above 0% and below 100% (no finite team answers every customer within a time), got ${quote(text)}`);
  }
  return { serviceLevel: percent / 100, withinMs: parseDuration('target', match[2]) };
}

function render(flags: PlanFlags): string {
  const { arrivalsPerHour, handleTimeMs, concurrency, patienceMs, serviceLevel, withinMs } = flags;
  const { staffing, figuresFor } = staffingSearch({
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
  const last = Math.min(staffing.agents + ROWS_AROUND, Math.floor(MAX_SERVERS / concurrency));
  for (let agents = first; agents <= last; agents++) {
    const figures = figuresFor(agents);
    const abandoned = figures.model === 'erlang-a' ? pct(figures.abandonProbability) : '—';
    rows.push([
      `${agents === staffing.agents ? '→ ' : ''}${agents}`,
      String(agents * concurrency),
      pct(figures.serviceLevel),
      pct(figures.waitProbability),
      duration(figures.meanWaitMs),
      pct(figures.occupancy),
      abandoned,
    ]);
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');

  const perAgent = concurrency === 1 ? '1 consultation per agent' : `${concurrency} consultations per agent at once`;
  const levels = typeof handleTimeMs === 'number' ? undefined : handleTimeMs.slice(0, concurrency);
  const handling = levels === undefined ? duration(handleTimeMs as number) : levels.map(duration).join(', ');
  const servers =
    levels === undefined
      ? `each agent counts as ${concurrency} server${concurrency === 1 ? '' : 's'}`
      : `each agent holds up to ${concurrency} chats, each handled in ${levels.map((ms, i) => `${duration(ms)} ${i === 0 ? 'alone' : `with ${i + 1}`}`).join(', ')}`;
  const model =
    patienceMs === undefined
      ? 'Erlang C (M/M/n: customers never give up)'
      : `Erlang A (M/M/n+M: customers give up after ${duration(patienceMs)} on average)`;
  return [
    `Staffing for ${number(arrivalsPerHour)} arrivals/h, handle time ${handling}, ${perAgent}`,
    `Target: ${pct(serviceLevel)} answered within ${duration(withinMs)}. Offered load ${number(staffing.offeredLoad)} Erlangs${levels === undefined ? '' : ` (at ${duration(levels[concurrency - 1] ?? 0)} a chat, the pace at the cap)`}.`,
    `Model: ${model}; ${servers}.`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `Required: ${plural(staffing.agents, 'agent')}${concurrency === 1 ? '' : ` (${plural(staffing.servers, 'server')})`}, answering ${pct(staffing.serviceLevel)} within ${duration(withinMs)} (target ${pct(serviceLevel)}).`,
    '',
  ].join('\n');
}

/**
 * The planning functions name their input fields; the user typed flags. The CLI has checked every
 * flag's range, so what is left to say about `arrivalsPerHour` is that the target needs more
 * servers than the table computes.
 */
function asFlagError(error: unknown, flags: PlanFlags): unknown {
  if (!(error instanceof RoutingError)) return error;
  if (error.field === 'arrivalsPerHour') {
    return new UsageError(`meeting the target at ${number(flags.arrivalsPerHour)} arrivals/h needs more than ${MAX_SERVERS} servers (agents × concurrency), the most the table computes; lower --arrivals-per-hour or --handle-time, or loosen --target`);
  }
  const flag = error.field === undefined ? undefined : FIELD_FLAGS.get(error.field.split('.')[0] ?? '');
  return flag === undefined ? error : new UsageError(`${flag}: ${error.message}`);
}

/** The flag behind each input field of the planning functions. */
const FIELD_FLAGS: ReadonlyMap<string, string> = new Map([
  ['handleTimeMs', '--handle-time'],
  ['concurrency', '--concurrency'],
  ['patienceMs', '--patience'],
  ['target', '--target'],
]);

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
