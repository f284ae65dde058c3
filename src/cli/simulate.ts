import { compare, type Comparison, type VariantRun } from '../simulate/compare.js';
import { DEMO_BUSY_HOUR, demoScenario } from '../simulate/demo.js';
import type { Scenario } from '../simulate/scenario.js';
import { readFlags, UsageError, type FlagSpec } from './flags.js';
import { count, oneLine, pct, plural, secs, timeRows } from './format.js';
import type { CliIo } from './main.js';
import { GROUP_TABLE_NOTE, groupTable, renderReport } from './report.js';

/** The `fenliu simulate` usage text, printed by `fenliu simulate --help`. */
export const SIMULATE_USAGE = [
  'Usage: fenliu simulate [scenario.json] [--compare variants.json] [--out report.html] [--seed <n>]',
  '',
  'Runs a what-if scenario through the router on simulated time and prints the key figures:',
  'response rate within 1 minute, first response time, abandonment and each agent\'s share;',
  'with groups, the same per group.',
  'Without a file it runs a built-in demo shop and tells what happened.',
  '',
  '  --compare <file>  also runs named variants of the scenario, side by side (see below)',
  '  --out <file>      also writes a self-contained HTML report with charts',
  '  --seed <n>        overrides the scenario\'s seed (an integer >= 0)',
  '  -h, --help        this help',
  '',
  'The scenario file is a JSON object (docs/simulation.md, in the package, describes every field):',
  '  router      the router\'s options, as new Router() takes them: splitMode, groups,',
  '              receptionMode, robot, robotRatio, busyThreshold, noAgent, answerTimeoutMs,',
  '              suspendAfterMisses, holdForRecentContactMs, groups[].overflow,',
  '              inactiveAfterMs, wrapUpMs, businessHours ...',
  '  agents      the agents: id, cap, weight, groups, status; and for the simulation shifts',
  '              [{ "from", "to" }], replyTimeMs and handleTimeMs (distributions), and',
  '              noAnswerShare (the share of chats the agent never answers)',
  '  arrivals    { "perHour": 60 }, { "perHour": [24 rates, one per hour of the day] }',
  '              or a recorded { "trace": [{ "at": 0, "customerId": "c1" }, ...] }',
  '  customers   optional: returningShare, patienceMs, and mixes as relative weights:',
  '              orderStates, segments, products, intents ({ "vip": 1, "regular": 4 }),',
  '              costs (units of an agent\'s cap: { "1": 4, "2": 1 })',
  '  robot       { "resolveShare": 0.4 }: what the robot resolves itself (with router.robot)',
  '  durationMs  the simulated time span',
  '  seed        an integer: the same scenario and seed give the same result',
  'Times are in ms of simulated time; 0 is midnight of day 1, to businessHours',
  '1970-01-01T00:00 UTC, a Thursday (give them "timeZone": "UTC"). A distribution is',
  '{ "kind": "exponential", "meanMs": 30000 }, or "fixed" (ms), "lognormal" (medianMs, sigma),',
  '"uniform" (minMs, maxMs).',
  '',
  'A minimal scenario: two agents, 60 consultations an hour, for 8 hours.',
  '',
  '  {',
  '    "router": { "splitMode": "average" },',
  '    "agents": [{ "id": "a", "cap": 5 }, { "id": "b", "cap": 5 }],',
  '    "arrivals": { "perHour": 60 },',
  '    "durationMs": 28800000,',
  '    "seed": 1',
  '  }',
  '',
  '--compare takes a JSON object of named variants, each a partial scenario: its router options',
  'are merged into the scenario\'s (null turns one off), any other field it gives replaces the',
  'scenario\'s.',
  '',
  '  { "weighted": { "router": { "splitMode": "weighted" } },',
  '    "one agent": { "agents": [{ "id": "a", "cap": 10 }] } }',
  '',
  'The first column, "base", is the scenario file as given. Every run has the same seed, hence the',
  'same arrival stream: the same customers writing at the same times (unless a variant changes',
  'arrivals, customers, durationMs or seed; the notes under the table say so). The consultation',
  'counts can still differ: a customer who writes again while an earlier chat is still open sends a',
  'follow-up message in it rather than opening a new consultation, and how long chats stay open',
  'depends on the policy.',
  '',
].join('\n');

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  compare: { example: 'variants.json' },
  out: { example: 'report.html' },
  seed: { example: '7' },
  help: { short: 'h' },
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Away from a terminal, a progress line at most this often (wall-clock ms), the first after as long. */
const PROGRESS_LINE_MS = 2_000;

/** At most this many agents are listed by name; the rest are summed as "others". */
const MAX_AGENT_ROWS = 12;

/** `fenliu simulate`: runs the scenario (and variants), prints the figures, writes the report. Returns the exit code. */
export function simulateCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = readFlags('fenliu simulate', args, FLAGS);
  if (values.has('help')) {
    io.stdout(SIMULATE_USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`expected at most one scenario file, got ${JSON.stringify(positionals[0])} and ${JSON.stringify(positionals[1])}`);
  const file = positionals[0];
  const flag = (name: string): string | undefined => {
    const value = values.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const seedText = flag('seed');
  if (seedText !== undefined && (!/^\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText)))) {
    throw new UsageError(`--seed must be an integer >= 0, got ${JSON.stringify(seedText)}`);
  }
  const compareFile = flag('compare');
  const outFile = flag('out');

  const demo = file === undefined;
  let scenario = demo ? demoScenario() : (readJson(io, file, 'scenario') as Scenario);
  if (typeof scenario !== 'object' || scenario === null || Array.isArray(scenario)) throw new UsageError(`${file} must hold a scenario object (fenliu simulate --help shows one)`);
  if (seedText !== undefined) scenario = { ...scenario, seed: Number(seedText) };
  let variants: Record<string, Partial<Scenario>> = {};
  if (compareFile !== undefined) {
    const raw = readJson(io, compareFile, 'variants');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`${compareFile} must hold an object of named variants, e.g. { "weighted": { "router": { "splitMode": "weighted" } } }`);
    variants = raw as Record<string, Partial<Scenario>>;
  }

  if (outFile !== undefined) {
    try {
      io.checkWritable(outFile);
    } catch (error) {
      throw new UsageError(`cannot write ${outFile}: ${oneLine((error as Error).message)}`);
    }
  }
  const progress = io.stderrIsTTY ? progressBar(io) : progressLines(io, ['base', ...Object.keys(variants)]);
  let comparison: Comparison;
  try {
    comparison = compare(scenario, variants, { onProgress: progress.update });
  } finally {
    progress.end();
  }

  const base = comparison.runs[0] as VariantRun;
  const title = demo ? 'fenliu demo shop' : file;
  const story = demo ? demoStory(base) : [];
  const compared = comparisonNotes(comparison.runs, demo ? 'the demo shop' : file);
  let text = '';
  if (demo) text += `${title}: three days of a small shop, seed ${base.scenario.seed}.\n\n${story.map((s) => `  • ${s}`).join('\n')}\n\n`;
  text += figuresTable(comparison.runs);
  const groups = groupsText(comparison.runs);
  if (groups !== '') text += `\n${groups}`;
  if (compared.length > 0) text += `\n${compared.join('\n')}\n`;
  if (outFile !== undefined) {
    const html = renderReport({ title, runs: comparison.runs, notes: [...story, ...compared] });
    try {
      io.writeFile(outFile, html);
    } catch (error) {
      throw new UsageError(`cannot write ${outFile}: ${oneLine((error as Error).message)}`);
    }
    text += `\nReport written to ${outFile}\n`;
  } else if (demo) {
    text += '\nRun `fenliu simulate --out report.html` for charts, or give a scenario file of your own (fenliu simulate --help).\n';
  }
  io.stdout(text);
  return 0;
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
    // A byte-order mark, as some Windows editors save JSON with, is no part of the text.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${oneLine((error as Error).message)}`);
  }
}

interface Progress {
  update: (done: number, total: number) => void;
  end: () => void;
}

/** On a terminal: a bar redrawn in place, cleared at the end. */
function progressBar(io: CliIo): Progress {
  let shown = -1;
  return {
    update: (done, total) => {
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (percent === shown) return;
      shown = percent;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      io.stderr(`\rsimulating [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%`);
    },
    end: () => {
      if (shown >= 0) io.stderr('\r\x1b[2K');
    },
  };
}

/**
 * Away from a terminal (a log, a CI job): a line now and then saying where the run is, none for a
 * run that ends within {@link PROGRESS_LINE_MS}, and a last one when any was written.
 */
function progressLines(io: CliIo, names: readonly string[]): Progress {
  const start = io.now();
  let last = start;
  let written = false;
  const seconds = (): string => `${((io.now() - start) / 1000).toFixed(0)} s`;
  return {
    update: (done, total) => {
      const now = io.now();
      if (now - last < PROGRESS_LINE_MS) return;
      last = now;
      written = true;
      const share = total > 0 ? done / total : 1;
      // compare reports the runs as one: each run takes an equal slice of `total`.
      // The end of run k is exactly k / n of the way: it still belongs to run k.
      const run = Math.min(names.length - 1, Math.max(0, Math.ceil(share * names.length - 1e-9) - 1));
      const which = names.length > 1 ? ` (run ${run + 1} of ${names.length}: ${names[run]})` : '';
      io.stderr(`fenliu simulate: ${Math.floor(share * 100)}% simulated${which}, ${seconds()}\n`);
    },
    end: () => {
      if (written) io.stderr(`fenliu simulate: done, ${seconds()}\n`);
    },
  };
}

/**
 * What a comparison's reader must know to read its columns: what "base" is, that every run saw
 * the same arrivals (or which variants changed them), and why consultation counts still differ.
 */
function comparisonNotes(runs: readonly VariantRun[], source: string): string[] {
  const base = runs[0];
  if (base === undefined || runs.length < 2) return [];
  const arrivals = (r: VariantRun): number => r.figures.consultations + r.figures.followUps;
  const changed = runs.slice(1).filter((r) => !sameArrivalInputs(r.scenario, base.scenario));
  const notes = [`"base" is ${source} as given: ${policyOf(base.scenario)}. Each variant changes only what it sets: ${runs.slice(1).map((r) => `"${r.name}" ${setBy(r.scenario, base.scenario)}`).join('; ')}.`];
  const same = runs.filter((r) => !changed.includes(r));
  notes.push(`${same.length === runs.length ? 'Every run' : `${same.map((r) => `"${r.name}"`).join(', ')}`} had the same ${plural(arrivals(base), 'arrival')} (seed ${base.scenario.seed}); consultation counts differ where a customer wrote again while an earlier chat was still open — a follow-up message in it, not a new consultation.`);
  if (changed.length > 0) notes.push(`${changed.map((r) => `"${r.name}"`).join(', ')} changed the arrivals (arrivals, customers, durationMs or seed), so ${changed.length === 1 ? 'its' : 'their'} counts are not the same customers.`);
  return notes;
}

/** The routing policy of a scenario in a few words, defaults included. */
function policyOf(s: Scenario): string {
  // A scenario may leave out `router` (the router's defaults): only the base can, variants get one merged.
  const r: Scenario['router'] = s.router ?? {};
  const mode = r.receptionMode ?? 'human-first';
  const parts = [
    plural(s.agents.length, 'agent'),
    `${r.splitMode ?? 'average'} split`,
    `${mode} reception${mode === 'mixed' ? ` (${Math.round((r.robotRatio ?? 0) * 100)} % robot-first)` : ''}`,
    `busy above ${r.busyThreshold ?? 4} pending`,
  ];
  if (r.groups !== undefined && r.groups.length > 0) parts.push(plural(r.groups.length, 'group'));
  const steps = (r.groups ?? []).reduce((n, g) => n + (g.overflow?.length ?? 0), 0);
  if (steps > 0) parts.push(plural(steps, 'overflow step'));
  if (r.answerTimeoutMs !== undefined) parts.push(`answer timeout ${secs(r.answerTimeoutMs)}`);
  if (r.suspendAfterMisses !== undefined) parts.push(`suspended after ${plural(r.suspendAfterMisses, 'miss', 'misses')}`);
  if ((r.holdForRecentContactMs ?? 0) > 0) parts.push(`hold for the recent contact ${secs(r.holdForRecentContactMs ?? 0)}`);
  return parts.join(', ');
}

/** The fields in which a variant's scenario differs from the base's: `router.splitMode, agents`. */
function setBy(variant: Scenario, base: Scenario): string {
  const fields: string[] = [];
  const router = (base.router ?? {}) as Record<string, unknown>;
  const changed = (variant.router ?? {}) as Record<string, unknown>;
  const routerKeys = new Set([...Object.keys(router), ...Object.keys(changed)]);
  for (const key of routerKeys) if (JSON.stringify(router[key]) !== JSON.stringify(changed[key])) fields.push(`router.${key}`);
  const top = base as unknown as Record<string, unknown>;
  const other = variant as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(base), ...Object.keys(variant)])) {
    if (key !== 'router' && JSON.stringify(top[key]) !== JSON.stringify(other[key])) fields.push(key);
  }
  return fields.length === 0 ? 'nothing (the same as base)' : fields.join(', ');
}

/**
 * Whether two scenarios generate the same arrival stream: the fields it is drawn from are equal.
 * The scope mixes and the cost mix are drawn from streams of their own: they change the values,
 * not the arrivals.
 */
function sameArrivalInputs(a: Scenario, b: Scenario): boolean {
  const arrivalCustomers = (s: Scenario): unknown => {
    // No `customers` draws what `customers: {}` draws.
    if (s.customers === undefined) return {};
    if (typeof s.customers !== 'object' || s.customers === null) return s.customers;
    const { segments: _s, products: _p, intents: _i, costs: _c, ...rest } = s.customers;
    return rest;
  };
  const inputs = (s: Scenario): string => JSON.stringify([s.arrivals, arrivalCustomers(s), s.durationMs, s.seed, s.router?.orderStates]);
  return inputs(a) === inputs(b);
}

/** The key figures, one column per run: rows read the same across variants. */
export function figuresTable(runs: readonly VariantRun[]): string {
  const rows: string[][] = [['', ...runs.map((r) => r.name)]];
  const add = (label: string, f: (r: VariantRun) => string): void => {
    rows.push([label, ...runs.map(f)]);
  };
  if (runs.length > 1) add('arrivals', (r) => count(r.figures.consultations + r.figures.followUps));
  add('consultations', (r) => count(r.figures.consultations));
  if (runs.some((r) => r.figures.followUps > 0)) add('follow-up messages', (r) => count(r.figures.followUps));
  add('response rate ≤ 1 min', (r) => pct(r.figures.responseRate1m));
  add('first response time', (r) => secs(r.figures.firstResponseTimeMs));
  add('abandoned', (r) => `${pct(r.figures.abandonmentRate)} (${r.figures.abandonments})`);
  if (runs.some((r) => r.figures.waitingAtEnd > 0)) add('still waiting at the end', (r) => count(r.figures.waitingAtEnd));
  if (runs.some((r) => r.figures.robotResolved > 0)) add('resolved by robot', (r) => count(r.figures.robotResolved));
  if (runs.some((r) => r.figures.offlineMessages > 0)) add('offline messages', (r) => count(r.figures.offlineMessages));
  for (const [label, f] of timeRows(runs)) add(label, f);
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
  return aligned(rows);
}

/**
 * Rows as a text table: the first column left-aligned, the others right-aligned, three spaces
 * apart. Widths are terminal columns: a CJK character (a group or agent named 鞋类) takes two.
 */
function aligned(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((row) => width(row[c] ?? ''))));
  const pad = (cell: string, c: number): string => {
    const fill = ' '.repeat((widths[c] as number) - width(cell));
    return c === 0 ? cell + fill : fill + cell;
  };
  return rows.map((row) => row.map(pad).join('   ').trimEnd()).join('\n') + '\n';
}

/** Terminal columns of `text`: East Asian wide and full-width characters take two. */
function width(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
    n += wide ? 2 : 1;
  }
  return n;
}

/** The per-group tables of the runs that have groups, each headed by its run when there are several; empty when none has. */
function groupsText(runs: readonly VariantRun[]): string {
  const parts: string[] = [];
  for (const run of runs) {
    const table = groupTable(run.figures);
    if (table === undefined) continue;
    const header = runs.length > 1 ? [`${table.header[0] as string} (${run.name})`, ...table.header.slice(1)] : table.header;
    let text = aligned([header, ...table.rows.map((r) => [`  ${r[0] as string}`, ...r.slice(1)])]);
    if (table.more > 0) text += `  and ${plural(table.more, 'more group')} (fewer consultations)\n`;
    parts.push(text);
  }
  if (parts.length === 0) return '';
  return `${parts.join('\n')}\n${GROUP_TABLE_NOTE.join('\n')}\n`;
}

/** What happened in the demo shop, in a few sentences a newcomer can check against the rules. */
function demoStory(run: VariantRun): string[] {
  const { result, scenario, figures } = run;
  const agentDecisions = result.decisions.filter((d) => d.kind === 'agent');
  const decided = (pred: (d: (typeof agentDecisions)[number]) => boolean): number => agentDecisions.filter(pred).length;
  const assigned = (id: string): number => figures.agents.find((a) => a.agentId === id)?.assignments ?? 0;
  const lines: string[] = [];
  lines.push(`${count(figures.consultations)} consultations (and ${figures.followUps} follow-up messages in open chats); ${pct(figures.responseRate1m)} were answered by a human within 1 minute, after ${secs(figures.firstResponseTimeMs)} on average.`);
  lines.push(`Group binding (rule 5): xiaomei's group jia is bound to three order states — no active order ("none"), paid but not shipped ("unshipped") and "shipped"; ahua's group yi is bound to no order state. Consultations in those three states go to xiaomei alone and the rest are shared, so xiaomei received ${assigned('xiaomei')} and ahua ${assigned('ahua')}.`);
  const day3 = (id: string, reason?: string): number => decided((d) => d.at >= 2 * DAY && d.agentId === id && (reason === undefined || d.reason === reason));
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
