import type { VariantRun } from '../simulate/compare.js';
import type { GroupFigures, KeyFigures } from '../simulate/result.js';
import { count, pct, plural, secs, timeRows } from './format.js';

/** What a report shows: one run or several side by side. */
export interface ReportInput {
  /** The page's heading, e.g. the scenario file's name. */
  title: string;
  /** The runs, base first. */
  runs: readonly VariantRun[];
  /** Sentences shown under the heading, e.g. the demo's story. */
  notes?: readonly string[];
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * Okabe–Ito, distinguishable with the common forms of colour blindness, without its yellow, which
 * is hard to see as a thin line on white.
 */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'];

/**
 * The runs' line styles, with the colours: runs whose lines coincide (identical variants) still
 * show both, one dashed over the other.
 */
const DASHES = ['', '8 4', '2 3', '10 3 2 3', '4 6'];

/** The colour of the line that stands for the agents not named on a chart. */
const OTHERS_COLOR = '#8c8c8c';

/** At most this many agents get a row of the table and a bar; the rest are summed as "others". */
const MAX_AGENTS = 12;

/**
 * The cumulative chart names at most this many agents (one colour each, none repeated) and draws
 * the average of the rest: more lines than that tangle.
 */
const MAX_LINES = PALETTE.length;

const W = 760;
const H = 280;
const M = { top: 16, right: 40, bottom: 40, left: 56 };

/** At most this many groups get a row of a per-group table (those with the most consultations); the rest are counted. */
const MAX_GROUPS = 12;

/** A per-group table of one run, as text cells: what the terminal and the HTML report both show. */
export interface GroupTable {
  header: string[];
  rows: string[][];
  /** Groups left out (beyond {@link MAX_GROUPS}). */
  more: number;
}

/** What the `null` entry of `KeyFigures.groups` is called in the tables. */
export const NO_GROUP_LABEL = 'matched no group';

/** The sentences under a per-group table that say how to read it, one a line. */
export const GROUP_TABLE_NOTE: readonly string[] = [
  'Per group: the consultations whose reception scope matched the group, whoever served them, and the assignments through the group.',
  `"${NO_GROUP_LABEL}": the consultations routed among every agent; its assignments are those through no group (recent contacts, dedicated agents, the every-agent pool).`,
];

/**
 * The per-group table of a run's key figures (`KeyFigures.groups`); `undefined` when the run has no
 * groups. With more than {@link MAX_GROUPS} groups, those with the most consultations are shown, in
 * option order, and `more` counts the rest; the row of consultations that matched no group is last.
 */
export function groupTable(figures: KeyFigures): GroupTable | undefined {
  const groups = figures.groups;
  if (groups.length === 0) return undefined;
  const named = groups.filter((g) => g.groupId !== null);
  const kept = new Set(named.length <= MAX_GROUPS ? named : [...named].sort((p, q) => q.consultations - p.consultations).slice(0, MAX_GROUPS));
  const row = (g: GroupFigures): string[] => [
    g.groupId ?? NO_GROUP_LABEL,
    count(g.consultations),
    count(g.assignments),
    pct(g.responseRate1m),
    secs(g.firstResponseTimeMs),
    secs(g.meanWaitMs),
    count(g.abandonments),
  ];
  return {
    header: ['group', 'consultations', 'assignments', 'response ≤ 1 min', 'first response', 'mean wait', 'abandoned'],
    rows: groups.filter((g) => g.groupId === null || kept.has(g)).map(row),
    more: named.length - kept.size,
  };
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function color(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** Run `i`'s dash pattern: it changes after every round of colours, and with the run itself as long as there are patterns. */
function dash(i: number): string {
  return DASHES[(i + Math.floor(i / PALETTE.length)) % DASHES.length] as string;
}

/**
 * A "nice" axis maximum and step (1, 2 or 5 × 10^k) covering `max` in about `ticks` steps; for a
 * count (`integer`), a step of at least 1, so that no two ticks read the same whole number.
 */
function niceScale(max: number, ticks = 5, integer = false): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(integer ? 1 : 0, ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag);
  return { top: Math.ceil(max / step) * step, step };
}

/** A simulated time as `HH:MM`, with `day N` when the run spans several days (time 0 is midnight of day 1). */
function clock(ms: number, multiDay: boolean): string {
  const day = Math.floor(ms / (24 * HOUR));
  const h = Math.floor((ms % (24 * HOUR)) / HOUR);
  const m = Math.floor((ms % HOUR) / MINUTE);
  const hhmm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return multiDay ? `day ${day + 1} ${hhmm}` : hhmm;
}

interface Line {
  label: string;
  color: string;
  points: readonly (readonly [number, number])[];
  /** An SVG `stroke-dasharray`; solid when empty or absent. */
  dash?: string;
}

/** A line chart with axes, grid and legend, as an inline SVG string. */
function lineChart(opts: { lines: readonly Line[]; xTicks: readonly { at: number; label: string }[]; xMax: number; yMax?: number; yFormat: (v: number) => string; yLabel: string; step?: boolean; title: string; integer?: boolean }): string {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const dataMax = Math.max(0, ...opts.lines.flatMap((l) => l.points.map((p) => p[1])));
  const { top, step } = opts.yMax === undefined ? niceScale(Math.max(dataMax, 1), 5, opts.integer === true) : { top: opts.yMax, step: opts.yMax / 5 };
  const x = (v: number): number => M.left + (opts.xMax === 0 ? 0 : (v / opts.xMax) * plotW);
  const y = (v: number): number => M.top + plotH - (v / top) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.title)}">`);
  for (let v = 0; v <= top + step / 2; v += step) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${esc(opts.yFormat(v))}</text>`);
  }
  for (const t of opts.xTicks) {
    parts.push(`<line x1="${x(t.at).toFixed(1)}" x2="${x(t.at).toFixed(1)}" y1="${M.top + plotH}" y2="${M.top + plotH + 4}" class="axis"/>`);
    parts.push(`<text x="${x(t.at).toFixed(1)}" y="${M.top + plotH + 18}" text-anchor="middle" class="tick">${esc(t.label)}</text>`);
  }
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}" class="axis"/>`);
  parts.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}" class="axis"/>`);
  parts.push(`<text x="14" y="${M.top + plotH / 2}" transform="rotate(-90 14 ${M.top + plotH / 2})" text-anchor="middle" class="label">${esc(opts.yLabel)}</text>`);
  for (const line of opts.lines) {
    if (line.points.length === 0) continue;
    // A step line for sampled states: each value holds until the next sample.
    const d = line.points.map(([px, py], i) => {
      const X = x(px).toFixed(1);
      const Y = y(py).toFixed(1);
      if (i === 0) return `M${X},${Y}`;
      return opts.step === true ? `H${X}V${Y}` : `L${X},${Y}`;
    }).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${line.color}" stroke-width="2" stroke-opacity="0.85"${dashAttr(line.dash)}/>`);
    if (opts.step !== true) {
      for (const [px, py] of line.points) parts.push(`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${line.color}"/>`);
    }
  }
  parts.push('</svg>');
  return parts.join('') + lineLegend(opts.lines);
}

function dashAttr(pattern: string | undefined): string {
  return pattern === undefined || pattern === '' ? '' : ` stroke-dasharray="${pattern}"`;
}

/** A line chart's legend: each entry a short stretch of its line, colour and dashes as drawn. */
function lineLegend(lines: readonly Line[]): string {
  if (lines.length < 2) return '';
  const swatch = (l: Line): string => `<svg width="26" height="10" aria-hidden="true"><line x1="1" x2="25" y1="5" y2="5" stroke="${l.color}" stroke-width="2"${dashAttr(l.dash)}/></svg>`;
  return `<div class="legend">${lines.map((l) => `<span>${swatch(l)}${esc(l.label)}</span>`).join('')}</div>`;
}

function legend(items: readonly { label: string; color: string }[]): string {
  if (items.length < 2) return '';
  return `<div class="legend">${items.map((i) => `<span><i style="background:${i.color}"></i>${esc(i.label)}</span>`).join('')}</div>`;
}

/**
 * Each run's legend label, noting a run whose line is the same as an earlier run's (`weighted
 * (same as base)`): drawn on top of each other, one would otherwise seem to be missing.
 */
function runLabels(runs: readonly VariantRun[], values: (run: VariantRun) => unknown): string[] {
  const keys = runs.map((r) => JSON.stringify(values(r)));
  return runs.map((r, i) => {
    const first = keys.indexOf(keys[i] as string);
    return first < i ? `${r.name} (same as ${(runs[first] as VariantRun).name})` : r.name;
  });
}

/** Horizontal grouped bars: one group per agent, one bar per run. */
function barChart(opts: { groups: readonly string[]; series: readonly { label: string; color: string; values: readonly (number | null)[] }[]; format: (v: number) => string; title: string }): string {
  const barH = 14;
  const gap = 10;
  const left = 120;
  const right = 70;
  const groupH = opts.series.length * barH + gap;
  const height = M.top + opts.groups.length * groupH + 24;
  const max = Math.max(0, ...opts.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  // Bars count consultations: whole-number ticks.
  const { top, step } = niceScale(Math.max(max, 1e-9), 4, true);
  const plotW = W - left - right;
  const x = (v: number): number => left + (v / top) * plotW;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(opts.title)}">`);
  const bottom = M.top + opts.groups.length * groupH;
  for (let v = 0; v <= top + step / 2; v += step) {
    parts.push(`<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${M.top}" y2="${bottom}" class="grid"/>`);
    parts.push(`<text x="${x(v).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" class="tick">${esc(opts.format(v))}</text>`);
  }
  opts.groups.forEach((g, gi) => {
    const y0 = M.top + gi * groupH;
    parts.push(`<text x="${left - 8}" y="${(y0 + (opts.series.length * barH) / 2 + 4).toFixed(1)}" text-anchor="end" class="label">${esc(g)}</text>`);
    opts.series.forEach((s, si) => {
      const v = s.values[gi] ?? null;
      const y = y0 + si * barH;
      const w = v === null ? 0 : x(v) - left;
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${s.color}"><title>${esc(`${s.label}: ${v === null ? '–' : opts.format(v)}`)}</title></rect>`);
      parts.push(`<text x="${(left + w + 4).toFixed(1)}" y="${y + barH - 4}" class="value">${v === null ? '–' : esc(opts.format(v))}</text>`);
    });
  });
  parts.push(`<line x1="${left}" x2="${left}" y1="${M.top}" y2="${bottom}" class="axis"/>`);
  parts.push('</svg>');
  return parts.join('') + legend(opts.series.map((s) => ({ label: s.label, color: s.color })));
}

/** The time axis ticks of a run: every hour, 3 h, 6 h, 12 h or day, about eight of them. */
function timeTicks(durationMs: number): { at: number; label: string }[] {
  const multiDay = durationMs > 24 * HOUR;
  const step = [HOUR / 4, HOUR / 2, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR].find((s) => durationMs / s <= 9) ?? 24 * HOUR;
  const out: { at: number; label: string }[] = [];
  for (let t = 0; t <= durationMs; t += step) out.push({ at: t, label: clock(t, multiDay) });
  return out;
}

/**
 * The agents named in the table and the bar chart: all of them when at most `max`, else the `max`
 * with the most assignments over all runs (ties by id), in scenario order; `others` are the rest.
 */
function shownAgents(runs: readonly VariantRun[], max: number): { shown: string[]; others: string[] } {
  const all: string[] = [];
  const seen = new Set<string>();
  for (const run of runs) for (const a of run.figures.agents) if (!seen.has(a.agentId)) { seen.add(a.agentId); all.push(a.agentId); }
  if (all.length <= max) return { shown: all, others: [] };
  const total = new Map<string, number>();
  for (const run of runs) for (const a of run.figures.agents) total.set(a.agentId, (total.get(a.agentId) ?? 0) + a.assignments);
  const top = new Set([...all].sort((p, q) => (total.get(q) ?? 0) - (total.get(p) ?? 0) || (p < q ? -1 : 1)).slice(0, max));
  return { shown: all.filter((id) => top.has(id)), others: all.filter((id) => !top.has(id)) };
}

/** Ids for a caption: all of them when few, else the first ones and how many more. */
function idList(ids: readonly string[]): string {
  const first = 10;
  return ids.length <= first + 2 ? ids.join(', ') : `${ids.slice(0, first).join(', ')} and ${ids.length - first} more`;
}

/**
 * Renders a self-contained HTML report of one or more simulation runs: the key figures, and inline
 * SVG charts of the queue length over time, assignments per agent and the response-rate ladder.
 * No scripts, no stylesheets or fonts from the network: it opens offline, in any browser.
 *
 * @example
 * ```ts
 * const html = renderReport({ title: 'Promotion day', runs: compare(scenario, variants).runs });
 * ```
 */
export function renderReport(input: ReportInput): string {
  const runs = input.runs;
  const base = runs[0];
  const sections: string[] = [];
  if (base === undefined) return page(input.title, '<p>No runs.</p>');
  const durationMs = base.scenario.durationMs;
  const multi = runs.length > 1;

  // Key figures, runs side by side.
  const rows: [string, (r: VariantRun) => string][] = [
    ...(multi ? [['Arrivals', (r: VariantRun) => count(r.figures.consultations + r.figures.followUps)] as [string, (r: VariantRun) => string]] : []),
    ['Consultations', (r) => count(r.figures.consultations)],
    ['Follow-up messages in open chats', (r) => count(r.figures.followUps)],
    ['Response rate within 1 min', (r) => pct(r.figures.responseRate1m)],
    ['First response time', (r) => secs(r.figures.firstResponseTimeMs)],
    ['Abandoned in the queue', (r) => `${pct(r.figures.abandonmentRate)} (${r.figures.abandonments})`],
    ...(runs.some((r) => r.figures.waitingAtEnd > 0) ? [['Still waiting in the queue at the end', (r: VariantRun) => count(r.figures.waitingAtEnd)] as [string, (r: VariantRun) => string]] : []),
    ['Resolved by the robot', (r) => count(r.figures.robotResolved)],
    ['Offline messages', (r) => count(r.figures.offlineMessages)],
    ['Re-routed to another agent', (r) => count(r.figures.transfers)],
    ...timeRows(runs).map(([label, f]): [string, (r: VariantRun) => string] => [label.charAt(0).toUpperCase() + label.slice(1), f]),
  ];
  const { shown, others } = shownAgents(runs, MAX_AGENTS);
  const share = (r: VariantRun, id: string): number | null => r.figures.agents.find((a) => a.agentId === id)?.share ?? null;
  let table = `<table><thead><tr><th></th>${runs.map((r) => `<th>${esc(r.name)}</th>`).join('')}</tr></thead><tbody>`;
  for (const [label, f] of rows) table += `<tr><th>${esc(label)}</th>${runs.map((r) => `<td>${esc(f(r))}</td>`).join('')}</tr>`;
  table += `<tr class="section"><th colspan="${runs.length + 1}">Share of assignments</th></tr>`;
  for (const id of shown) table += `<tr><th>${esc(id)}</th>${runs.map((r) => `<td>${esc(pct(share(r, id)))}</td>`).join('')}</tr>`;
  if (others.length > 0) {
    table += `<tr><th>${esc(plural(others.length, 'other'))}</th>${runs.map((r) => {
      const rest = r.figures.agents.filter((a) => others.includes(a.agentId)).reduce((sum, a) => sum + (a.share ?? 0), 0);
      return `<td>${esc(pct(rest))}</td>`;
    }).join('')}</tr>`;
  }
  if (runs.some((r) => r.figures.reoffers > 0)) {
    const missed = (r: VariantRun, id: string): number | null => r.figures.agents.find((a) => a.agentId === id)?.missed ?? null;
    table += `<tr class="section"><th colspan="${runs.length + 1}">Chats lost to the answer timeout</th></tr>`;
    for (const id of shown) table += `<tr><th>${esc(id)}</th>${runs.map((r) => `<td>${esc(missed(r, id) === null ? '–' : count(missed(r, id) as number))}</td>`).join('')}</tr>`;
    if (others.length > 0) {
      table += `<tr><th>${esc(plural(others.length, 'other'))}</th>${runs.map((r) => `<td>${esc(count(r.figures.agents.filter((a) => others.includes(a.agentId)).reduce((sum, a) => sum + a.missed, 0)))}</td>`).join('')}</tr>`;
    }
  }
  table += '</tbody></table>';
  const othersCaption = others.length === 0
    ? ''
    : `<p class="caption">The ${shown.length} agents with the most assignments${multi ? ' over all runs' : ''} are named; the ${plural(others.length, 'other')} (${esc(idList(others))}) are summed in the last row.</p>`;
  sections.push(`<h2>Key figures</h2>${table}${othersCaption}`);

  // Per group, one table per run that has groups.
  const perGroup = runs.map((r) => ({ run: r, table: groupTable(r.figures) })).filter((x) => x.table !== undefined);
  if (perGroup.length > 0) {
    let html = `<h2>Per group</h2><p class="caption">${esc(GROUP_TABLE_NOTE.join(' '))}</p>`;
    for (const { run, table } of perGroup) {
      const t = table as GroupTable;
      if (multi) html += `<h3>${esc(run.name)}</h3>`;
      html += `<table><thead><tr>${t.header.map((h) => `<th>${esc(h.charAt(0).toUpperCase() + h.slice(1))}</th>`).join('')}</tr></thead><tbody>`;
      for (const r of t.rows) html += `<tr>${r.map((cell, i) => (i === 0 ? `<th>${esc(cell)}</th>` : `<td>${esc(cell)}</td>`)).join('')}</tr>`;
      html += '</tbody></table>';
      if (t.more > 0) html += `<p class="caption">The ${MAX_GROUPS} groups with the most consultations are shown; ${esc(plural(t.more, 'other group'))} ${t.more === 1 ? 'is' : 'are'} in the result's summary.</p>`;
    }
    sections.push(html);
  }

  // Queue length over time.
  const ticks = timeTicks(durationMs);
  const queueLabels = runLabels(runs, (r) => r.result.series.queue);
  sections.push(`<h2>Waiting queue over time</h2><p class="caption">Consultations in the waiting queue, sampled every ${secs(base.result.series.stepMs)}.</p>` + lineChart({
    title: 'Waiting queue over time',
    lines: runs.map((r, i) => ({ label: queueLabels[i] as string, color: color(i), dash: dash(i), points: r.result.series.times.map((t, j) => [t, r.result.series.queue[j] ?? 0] as const) })),
    xTicks: ticks, xMax: durationMs, yFormat: (v) => String(Math.round(v)), yLabel: 'queued', step: true, integer: true,
  }));

  // Assignments per agent: totals side by side, then the base run's cumulative lines.
  const assigned = (r: VariantRun, id: string): number | null => r.figures.agents.find((a) => a.agentId === id)?.assignments ?? null;
  sections.push(`<h2>Assignments per agent</h2><p class="caption">Consultations assigned to each agent over the run${multi ? ', per variant' : ''}${others.length > 0 ? `; the ${shown.length} named in the table` : ''}.</p>` + barChart({
    title: 'Assignments per agent',
    groups: shown,
    series: runs.map((r, i) => ({ label: r.name, color: color(i), values: shown.map((id) => assigned(r, id)) })),
    format: (v) => String(Math.round(v)),
  }));
  const baseSeries = base.result.series;
  const named = shownAgents([base], MAX_LINES);
  const restNamed = named.others.length > 0 ? shownAgents([base], MAX_LINES - 1) : named;
  const cumulative: Line[] = baseSeries.agents.filter((a) => restNamed.shown.includes(a.agentId)).map((a, i) => ({
    label: a.agentId, color: color(i), points: baseSeries.times.map((t, j) => [t, a.assignments[j] ?? 0] as const),
  }));
  if (restNamed.others.length > 0) {
    const rest = baseSeries.agents.filter((a) => restNamed.others.includes(a.agentId));
    cumulative.push({
      label: `average of the other ${plural(rest.length, 'agent')}`, color: OTHERS_COLOR, dash: '6 3',
      points: baseSeries.times.map((t, j) => [t, rest.reduce((sum, a) => sum + (a.assignments[j] ?? 0), 0) / rest.length] as const),
    });
  }
  const cumulativeCaption = restNamed.others.length === 0
    ? 'Cumulative assignments per agent.'
    : `Cumulative assignments of the ${restNamed.shown.length} agents with the most, and the average of the other ${plural(restNamed.others.length, 'agent')} (${esc(idList(restNamed.others))}).`;
  sections.push(`<h3>Assignments over time${multi ? ` (${esc(base.name)})` : ''}</h3><p class="caption">${cumulativeCaption}</p>` + lineChart({
    title: 'Cumulative assignments per agent',
    lines: cumulative,
    xTicks: ticks, xMax: durationMs, yFormat: (v) => String(Math.round(v)), yLabel: 'assigned', step: true, integer: true,
  }));

  // Response-rate ladder.
  // Evenly spaced thresholds: the ladder's steps (1, 2, 5 … 60 min) would crowd at the left on a linear axis.
  const ladder = base.result.metrics.shop.responseLadder;
  const ladderLabels = runLabels(runs, (r) => r.result.metrics.shop.responseLadder.map((s) => s.rate));
  sections.push(`<h2>Response-rate ladder</h2><p class="caption">Share of receptions first answered by a human within each threshold (the response rate). Robot-resolved and abandoned customers count as not answered.</p>` + lineChart({
    title: 'Response-rate ladder',
    lines: runs.map((r, i) => ({
      label: ladderLabels[i] as string, color: color(i), dash: dash(i),
      points: r.result.metrics.shop.responseLadder.map((s, j) => [j, s.rate ?? 0] as const),
    })),
    xTicks: ladder.map((s, j) => ({ at: j, label: s.withinMs % MINUTE === 0 ? `${s.withinMs / MINUTE} min` : secs(s.withinMs) })),
    xMax: Math.max(1, ladder.length - 1), yMax: 1, yFormat: (v) => `${Math.round(v * 100)}%`, yLabel: 'answered',
  }));

  const notes = (input.notes ?? []).map((n) => `<li>${esc(n)}</li>`).join('');
  const intro = `<p class="caption">${runs.length === 1 ? 'One run' : `${runs.length} runs: "${esc(base.name)}" and variants of it`}, ${(durationMs / HOUR).toFixed(durationMs % HOUR === 0 ? 0 : 1)} h of simulated time, seed ${base.scenario.seed}.</p>`;
  return page(input.title, intro + (notes === '' ? '' : `<ul class="notes">${notes}</ul>`) + sections.join('\n'));
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — fenliu simulation</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; color: #1a1a1a; margin: 24px auto; max-width: 800px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin-top: 20px; }
.caption { color: #555; margin: 4px 0 8px; }
.notes { background: #f6f8fa; border-radius: 6px; padding: 10px 10px 10px 28px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 12px; border-bottom: 1px solid #eee; text-align: right; }
th:first-child { text-align: left; font-weight: normal; color: #333; }
thead th { font-weight: 600; border-bottom: 2px solid #ccc; }
tr.section th { font-weight: 600; padding-top: 12px; }
svg { display: block; max-width: 100%; height: auto; }
svg .grid { stroke: #eee; }
svg .axis { stroke: #888; }
svg .tick { font-size: 11px; fill: #555; }
svg .label { font-size: 12px; fill: #333; }
svg .value { font-size: 11px; fill: #333; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 4px 0 0 56px; font-size: 12px; }
.legend svg { display: inline-block; width: 26px; height: 10px; vertical-align: 0; margin-right: 5px; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
${body}
</body>
</html>
`;
}
