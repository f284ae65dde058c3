import { describe, expect, it } from 'vitest';
import { secs } from '../../src/cli/format.js';
import { renderReport } from '../../src/cli/report.js';
import { compare, type Scenario } from '../../src/simulate/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const oneAgent: Scenario = { router: {}, agents: [{ id: 'a' }], arrivals: { perHour: 20 }, durationMs: HOUR, seed: 1 };

/** The text labels under the time axis of the first chart (the waiting queue). */
function queueTicks(html: string): string[] {
  const chart = html.split('<h2>Waiting queue over time</h2>')[1]!.split('</svg>')[0]!;
  return [...chart.matchAll(/text-anchor="middle" class="tick">([^<]*)</g)].map((m) => m[1]!);
}

/** The charts of a report (legend swatches are small SVGs too, without a role). */
function charts(html: string): string[] {
  return html.match(/<svg[^>]*role="img"[\s\S]*?<\/svg>/g) ?? [];
}

/** The chart under a heading, and its legend's labels. */
function chartAfter(html: string, heading: string): { svg: string; legend: string[] } {
  const rest = html.split(heading)[1]!;
  const svg = charts(rest)[0]!;
  const after = rest.slice(rest.indexOf(svg) + svg.length);
  const legend = after.startsWith('<div class="legend">') ? [...after.split('</div>')[0]!.matchAll(/<\/svg>([^<]*)<\/span>/g)].map((m) => m[1]!) : [];
  return { svg, legend };
}

/** The rows of the key-figures table, as [label, ...cells]. */
function tableRows(html: string): string[][] {
  const table = html.split('<table>')[1]!.split('</table>')[0]!;
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((c) => c[1]!));
}

describe('waits as the reports write them', () => {
  it('in seconds under two minutes, in minutes from two minutes on, a dash for none', () => {
    expect([secs(0), secs(30_900), secs(119_900), secs(120_000), secs(300_000), secs(null)]).toEqual(['0.0 s', '30.9 s', '119.9 s', '2.0 min', '5.0 min', '–']);
  });
});

describe('renderReport edge cases', () => {
  it('with no runs renders a page that says so', () => {
    const html = renderReport({ title: 'Empty', runs: [] });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1>Empty</h1>');
    expect(html).toContain('<p>No runs.</p>');
    expect(html).not.toContain('<svg');
  });

  it('escapes the title and the notes, so a file name cannot inject markup', () => {
    const html = renderReport({ title: '<script>"x" & \'y\'</script>', runs: [], notes: [] });
    expect(html).not.toContain('<script>');
    expect(html).toContain('<h1>&#60;script&#62;&#34;x&#34; &#38; &#39;y&#39;&#60;/script&#62;</h1>');
    const withNotes = renderReport({ title: 't', runs: compare(oneAgent, {}).runs, notes: ['a < b & c'] });
    expect(withNotes).toContain('<ul class="notes"><li>a &#60; b &#38; c</li></ul>');
  });

  it('one run: says "One run", has no legends and no per-variant captions', () => {
    const html = renderReport({ title: 'solo', runs: compare(oneAgent, {}).runs });
    expect(html).toContain('One run, 1 h of simulated time, seed 1.');
    expect(html).not.toContain('class="legend"');
    expect(html).not.toContain(', per variant');
    expect(html).toContain('<h3>Assignments over time</h3>');
    expect(html).not.toContain('<ul class="notes">');
    expect(charts(html)).toHaveLength(4);
  });

  it('several runs: a legend per chart and the base named on the cumulative chart', () => {
    const html = renderReport({ title: 'two', runs: compare(oneAgent, { 'more traffic': { arrivals: { perHour: 40 } } }).runs });
    expect(html).toContain('2 runs: "base" and variants of it');
    expect(html).toContain('<h3>Assignments over time (base)</h3>');
    expect(html).toContain('<span><i style="background:#E69F00"></i>more traffic</span>');
  });

  it('a duration that is not whole hours is shown to a tenth of an hour', () => {
    const html = renderReport({ title: 't', runs: compare({ ...oneAgent, durationMs: 1.5 * HOUR }, {}).runs });
    expect(html).toContain('1.5 h of simulated time');
  });

  it('a run shorter than a day labels its time axis with the clock only', () => {
    expect(queueTicks(renderReport({ title: 't', runs: compare(oneAgent, {}).runs }))).toEqual(['00:00', '00:15', '00:30', '00:45', '01:00']);
  });

  it('a run over several days labels its time axis with the day', () => {
    const ticks = queueTicks(renderReport({ title: 't', runs: compare({ ...oneAgent, arrivals: { perHour: 0 }, durationMs: 2 * DAY }, {}).runs }));
    expect(ticks).toEqual(['day 1 00:00', 'day 1 06:00', 'day 1 12:00', 'day 1 18:00', 'day 2 00:00', 'day 2 06:00', 'day 2 12:00', 'day 2 18:00', 'day 3 00:00']);
  });

  it('a run of more than nine days gets one tick a day', () => {
    const ticks = queueTicks(renderReport({ title: 't', runs: compare({ ...oneAgent, arrivals: { perHour: 0 }, durationMs: 12 * DAY }, {}).runs }));
    expect(ticks).toHaveLength(13);
    expect(ticks[0]).toBe('day 1 00:00');
    expect(ticks[12]).toBe('day 13 00:00');
  });

  it('more than 12 agents: the busiest 12 are named and the rest are summed as others', () => {
    // a1…a12 get two dedicated customers each, a13 one and a14 none: 25 assignments in all.
    const agents = Array.from({ length: 14 }, (_, i) => ({ id: `a${i + 1}` }));
    const trace: { at: number; customerId: string; dedicatedAgentId: string }[] = [];
    for (let i = 1; i <= 13; i++) for (let k = 0; k < (i <= 12 ? 2 : 1); k++) trace.push({ at: trace.length * 1_000, customerId: `c${trace.length}`, dedicatedAgentId: `a${i}` });
    const html = renderReport({ title: 'crowd', runs: compare({ router: {}, agents, arrivals: { trace }, durationMs: HOUR, seed: 1 }, {}).runs });
    const rows = tableRows(html);
    for (let i = 1; i <= 12; i++) expect(rows).toContainEqual([`a${i}`, '8.0%']);
    expect(rows.find((r) => r[0] === 'a13' || r[0] === 'a14')).toBeUndefined();
    expect(rows).toContainEqual(['2 others', '4.0%']);
    expect(html).toContain('The 12 agents with the most assignments are named; the 2 others (a13, a14) are summed in the last row.');
    // The bar chart has one group per named agent.
    const bars = html.split('<h2>Assignments per agent</h2>')[1]!.split('</svg>')[0]!;
    expect(bars.match(/class="label">a\d+</g)).toHaveLength(12);
  });
});

describe('a comparison report keeps every run visible', () => {
  // One agent with one slot: the queue forms, and more traffic makes it longer.
  const runs = compare({ ...oneAgent, agents: [{ id: 'a', cap: 1 }] }, { same: {}, 'more traffic': { arrivals: { perHour: 40 } }, 'same again': { router: { busyThreshold: 4 } } }).runs;
  const html = renderReport({ title: 'cmp', runs });

  it('each run\'s queue line has its own colour and dash pattern, and the legend shows both', () => {
    const { svg } = chartAfter(html, '<h2>Waiting queue over time</h2>');
    const styles = [...svg.matchAll(/<path d="[^"]*" fill="none" stroke="([^"]+)"[^>]*?(?: stroke-dasharray="([^"]+)")?\/>/g)].map((m) => `${m[1]}|${m[2] ?? ''}`);
    expect(styles).toHaveLength(4);
    expect(new Set(styles).size).toBe(4);
    expect(new Set(styles.map((st) => st.split('|')[1])).size).toBe(4);
    const legend = html.split('<h2>Waiting queue over time</h2>')[1]!.split('</div>')[0]!;
    expect(legend.match(/<line [^>]*stroke-dasharray=/g)).toHaveLength(3);
  });

  it('a run identical to an earlier one says so in the legend instead of seeming to vanish', () => {
    expect(JSON.stringify(runs[1]!.result.series.queue)).toBe(JSON.stringify(runs[0]!.result.series.queue));
    expect(chartAfter(html, '<h2>Waiting queue over time</h2>').legend).toEqual(['base', 'same (same as base)', 'more traffic', 'same again (same as base)']);
    const ladder = chartAfter(html, '<h2>Response-rate ladder</h2>').legend;
    expect(ladder).toEqual(['base', 'same (same as base)', 'more traffic', 'same again (same as base)']);
  });
});

describe('the report with many agents', () => {
  // 100 agents of unequal speed, so that their assignment counts differ.
  const agents = Array.from({ length: 100 }, (_, i) => ({ id: `agent-${String(i).padStart(3, '0')}`, cap: 3, handleTimeMs: { kind: 'fixed' as const, ms: 60_000 * (1 + (i % 7)) } }));
  const run = compare({ router: {}, agents, arrivals: { perHour: 3_000 }, durationMs: 2 * HOUR, seed: 5 }, {}).runs;
  const html = renderReport({ title: 'hundred', runs: run });

  it('names the busiest agents on the time chart, each in a colour of its own, and draws the average of the rest', () => {
    const { svg, legend } = chartAfter(html, '<h3>Assignments over time</h3>');
    const colours = [...svg.matchAll(/<path d="[^"]*" fill="none" stroke="([^"]+)"/g)].map((m) => m[1]!);
    expect(colours.length).toBeLessThanOrEqual(8);
    expect(new Set(colours).size).toBe(colours.length);
    expect(legend.at(-1)).toBe(`average of the other ${101 - colours.length} agents`);
    // The named ones are the agents with the most assignments.
    const byCount = [...run[0]!.figures.agents].sort((p, q) => q.assignments - p.assignments || (p.agentId < q.agentId ? -1 : 1));
    const named = legend.slice(0, -1);
    expect(new Set(named)).toEqual(new Set(byCount.slice(0, named.length).map((a) => a.agentId)));
    const caption = html.split('<h3>Assignments over time</h3>')[1]!.split('</p>')[0]!;
    expect(caption).toContain(`the average of the other ${101 - colours.length} agents (`);
    expect(caption).toMatch(/and \d+ more\)\.$/);
  });

  it('says which agents the table\'s others row sums', () => {
    const rows = tableRows(html);
    expect(rows.filter((r) => /^agent-/.test(r[0]!))).toHaveLength(12);
    const others = rows.find((r) => r[0] === '88 others');
    expect(others).toBeDefined();
    const named = run[0]!.figures.agents.filter((a) => rows.some((r) => r[0] === a.agentId));
    const rest = run[0]!.figures.agents.filter((a) => !named.includes(a)).reduce((sum, a) => sum + (a.share ?? 0), 0);
    expect(others![1]).toBe(`${(rest * 100).toFixed(1)}%`);
    expect(html).toMatch(/The 12 agents with the most assignments are named; the 88 others \(agent-\d{3}(, agent-\d{3}){9} and 78 more\) are summed in the last row\./);
  });
});

describe('the report\'s labels and fonts', () => {
  it('its own labels are in one language (English): no CJK text from the report itself', () => {
    const html = renderReport({ title: 'shop', runs: compare({ ...oneAgent, durationMs: 2 * HOUR }, { b: {} }).runs, notes: ['a note'] });
    expect(html).not.toMatch(/[\u2E80-\u9FFF\uF900-\uFAFF]/);
  });

  it('the font stack falls back to CJK fonts, for agent names and titles in Chinese, and ends with a generic family', () => {
    const html = renderReport({ title: '小店', runs: compare({ ...oneAgent, agents: [{ id: '小美' }] }, {}).runs });
    const stack = /body \{ font: [^ ]+ ([^;]+);/.exec(html)?.[1] ?? '';
    expect(stack).toMatch(/"PingFang SC".*"Microsoft YaHei".*"Noto Sans CJK SC"/);
    expect(stack.trim().endsWith('sans-serif')).toBe(true);
    expect(html).toContain('<h1>小店</h1>');
  });
});

describe('the report\'s count axes', () => {
  it('never label two ticks with the same whole number, even when the counts are tiny', () => {
    // One consultation in an hour: the queue stays at 0 and one agent is assigned once.
    const html = renderReport({ title: 't', runs: compare({ ...oneAgent, arrivals: { trace: [{ at: 0, customerId: 'c' }] } }, {}).runs });
    for (const heading of ['<h2>Waiting queue over time</h2>', '<h2>Assignments per agent</h2>', '<h3>Assignments over time</h3>']) {
      const svg = charts(html.split(heading)[1]!)[0]!;
      const ticks = [...svg.matchAll(/class="tick">([^<]*)</g)].map((m) => m[1]!).filter((t) => /^\d+$/.test(t));
      expect(ticks.length, heading).toBeGreaterThan(1);
      expect(new Set(ticks).size, heading).toBe(ticks.length);
    }
  });
});

describe('the report shows what the time options did', () => {
  const MIN = 60_000;
  const shop: Scenario = {
    router: { answerTimeoutMs: 60_000 },
    agents: [{ id: 'a', cap: 4, noAnswerShare: 0.3 }, { id: 'b', cap: 4 }],
    arrivals: { perHour: 40 },
    durationMs: 3 * HOUR,
    seed: 2,
  };

  it('re-offers and the chats each agent lost to the timeout, per run', () => {
    const { runs } = compare(shop, { '30 s': { router: { answerTimeoutMs: 30_000 } }, 'hold 2 min': { router: { holdForRecentContactMs: 2 * MIN } } });
    const rows = tableRows(renderReport({ title: 't', runs }));
    expect(rows).toContainEqual(['Re-offered after no answer', ...runs.map((r) => String(r.figures.reoffers))]);
    expect(rows).toContainEqual(['Held for their recent contact', ...runs.map((r) => `${r.figures.holds} (${r.figures.holdsKept} got them)`)]);
    expect(rows).toContainEqual(['Never answered', ...runs.map((r) => String(r.figures.unanswered))]);
    expect(renderReport({ title: 't', runs })).toContain('Chats lost to the answer timeout');
    for (const id of ['a', 'b']) expect(rows).toContainEqual([id, ...runs.map((r) => String(r.figures.agents.find((x) => x.agentId === id)?.missed))]);
    expect(runs[0]?.figures.agents.find((x) => x.agentId === 'a')?.missed).toBeGreaterThan(0);
  });

  it('arrivals while closed and chats put on hold when quiet, per run', () => {
    const nineToSix = ['09:00-18:00'];
    const businessHours = { timeZone: 'UTC', weekly: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: nineToSix, sun: nineToSix } };
    const day: Scenario = { router: {}, agents: [{ id: 'a', cap: 3 }], arrivals: { perHour: 10 }, durationMs: 24 * HOUR, seed: 4 };
    const { runs } = compare(day, { '09:00-18:00, quiet 2 min': { router: { businessHours, inactiveAfterMs: 2 * MIN } } });
    const rows = tableRows(renderReport({ title: 't', runs }));
    expect(rows).toContainEqual(['Arrived while closed', ...runs.map((r) => String(r.figures.closed))]);
    expect(rows).toContainEqual(['Put on hold when quiet', ...runs.map((r) => `${r.figures.inactivityHolds} (${r.figures.resumed} resumed)`)]);
    // The baseline runs 24 h without inactivity; the variant has both to count.
    expect(runs.map((r) => r.figures.closed > 0)).toEqual([false, true]);
    expect(runs.map((r) => r.figures.inactivityHolds > 0)).toEqual([false, true]);
  });

  it('a run without time options has none of those rows', () => {
    const html = renderReport({ title: 't', runs: compare(oneAgent, {}).runs });
    for (const label of ['Re-offered after no answer', 'Overflowed to another group', 'Held for their recent contact', 'Never answered', 'Chats lost to the answer timeout', 'Arrived while closed', 'Put on hold when quiet']) expect(html).not.toContain(label);
  });
});
