import { describe, expect, it } from 'vitest';
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

/** The rows of the key-figures table, as [label, ...cells]. */
function tableRows(html: string): string[][] {
  const table = html.split('<table>')[1]!.split('</table>')[0]!;
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((c) => c[1]!));
}

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
    expect(html.match(/<svg/g)).toHaveLength(4);
  });

  it('several runs: a legend per chart and the base named on the cumulative chart', () => {
    const html = renderReport({ title: 'two', runs: compare(oneAgent, { 'more traffic': { arrivals: { perHour: 40 } } }).runs });
    expect(html).toContain('2 runs on the same seed and arrivals');
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
    expect(rows).toContainEqual(['others', '4.0%']);
    // The bar chart has one group per named agent; the cumulative chart one line per named agent.
    const bars = html.split('<h2>Assignments per agent</h2>')[1]!.split('</svg>')[0]!;
    expect(bars.match(/class="label">a\d+</g)).toHaveLength(12);
    const lines = html.split('<h3>Assignments over time</h3>')[1]!.split('</svg>')[0]!;
    expect(lines.match(/<path /g)).toHaveLength(12);
  });
});
