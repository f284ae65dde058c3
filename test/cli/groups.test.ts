import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/cli/report.js';
import { main } from '../../src/cli/main.js';
import { compare, simulate, type Scenario } from '../../src/simulate/index.js';

const HOUR = 3_600_000;

const shop: Scenario = {
  router: { groups: [{ id: '会员', segments: ['vip'] }, { id: '鞋类', products: ['boots'] }, { id: '通用' }] },
  agents: [
    { id: 'm', cap: 3, groups: ['会员'] },
    { id: 's', cap: 3, groups: ['鞋类'] },
    { id: 'g', cap: 3, groups: ['通用'] },
  ],
  arrivals: { perHour: 40 },
  customers: { segments: { vip: 1, regular: 3 }, products: { boots: 1, hat: 1 } },
  durationMs: 4 * HOUR,
  seed: 3,
};

function simulateCli(scenario: Scenario, extra: string[] = [], files: Record<string, string> = {}): { code: number; stdout: string; written: Map<string, string> } {
  let stdout = '';
  const written = new Map<string, string>();
  const all: Record<string, string> = { 'shop.json': JSON.stringify(scenario), ...files };
  const code = main(['simulate', 'shop.json', ...extra], {
    stdout: (t) => { stdout += t; },
    stderr: () => {},
    stderrIsTTY: false,
    readFile: (path) => {
      const text = all[path];
      if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return text;
    },
    writeFile: (path, text) => { written.set(path, text); },
  });
  return { code, stdout, written };
}

/** The text table's row for `label`, split into its cells. */
function row(stdout: string, label: string): string[] | undefined {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(`${label} `));
  return line?.trim().split(/\s{2,}/);
}

describe('per-group tables', () => {
  it('fenliu simulate prints one row per group, then the consultations that matched none', () => {
    const { code, stdout } = simulateCli(shop);
    expect(code).toBe(0);
    const { summary } = simulate(shop);
    for (const g of summary.groups) {
      const cells = row(stdout, g.groupId ?? 'matched no group');
      expect(cells, String(g.groupId)).toBeDefined();
      expect(cells?.[1]).toBe(String(g.consultations));
      expect(cells?.[2]).toBe(String(g.assignments));
      expect(cells?.[6]).toBe(String(g.abandonments));
    }
    expect(stdout).toContain('"matched no group": the consultations routed among every agent');
  });

  it('aligns the columns for group names in Chinese, which take two columns each', () => {
    const { stdout } = simulateCli(shop);
    const lines = stdout.split('\n').filter((l) => /^ {2}(会员|鞋类|通用|matched no group) /.test(l));
    expect(lines).toHaveLength(4);
    const columns = (l: string): number => [...l].reduce((n, ch) => n + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
    expect(new Set(lines.map(columns)).size).toBe(1);
  });

  it('prints no per-group table for a shop without groups', () => {
    const { stdout } = simulateCli({ ...shop, router: {}, agents: [{ id: 'a', cap: 3 }] });
    expect(stdout).not.toContain('matched no group');
  });

  it('with --compare, one table per run, headed by the run', () => {
    const variants = { 'no 鞋类': { router: { groups: [{ id: '会员', segments: ['vip'] }, { id: '通用' }] }, agents: [{ id: 'm', cap: 3, groups: ['会员'] }, { id: 'g', cap: 3, groups: ['通用'] }] } };
    const { stdout } = simulateCli(shop, ['--compare', 'v.json'], { 'v.json': JSON.stringify(variants) });
    expect(stdout).toMatch(/^group \(base\) /m);
    expect(stdout).toMatch(/^group \(no 鞋类\) /m);
    const noShoes = stdout.split(/^group \(no 鞋类\)/m)[1] ?? '';
    expect(noShoes.split('\n\n')[0]).not.toContain('鞋类');
  });

  it('the HTML report has a per-group table with the same cells', () => {
    const { written } = simulateCli(shop, ['--out', 'r.html']);
    const html = written.get('r.html') ?? '';
    const section = html.split('<h2>Per group</h2>')[1]?.split('</table>')[0] ?? '';
    const rows = [...section.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...(m[1] ?? '').matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((c) => c[1]));
    const { summary } = simulate(shop);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2]])).toEqual(summary.groups.map((g) => [g.groupId ?? 'matched no group', String(g.consultations), String(g.assignments)]));
    expect(renderReport({ title: 't', runs: compare({ ...shop, router: {}, agents: [{ id: 'a' }] }, {}).runs })).not.toContain('Per group');
  });

  it('shows the twelve groups with the most consultations and counts the rest', () => {
    const groups = Array.from({ length: 14 }, (_, i) => ({ id: `p${i}`, products: [`item${i}`] }));
    const many: Scenario = {
      router: { groups },
      agents: groups.map((g) => ({ id: `a-${g.id}`, cap: 3, groups: [g.id] })),
      arrivals: { perHour: 60 },
      // p0 and p1 are the rarest: they are the two left out.
      customers: { products: Object.fromEntries(groups.map((g, i) => [`item${i}`, i < 2 ? 0.01 : 1])) },
      durationMs: 4 * HOUR,
      seed: 2,
    };
    const { stdout, written } = simulateCli(many, ['--out', 'r.html']);
    expect(stdout).toContain('and 2 more groups (fewer consultations)');
    expect(row(stdout, 'p0')).toBeUndefined();
    expect(row(stdout, 'p2')).toBeDefined();
    expect(written.get('r.html')).toContain('2 other groups are in the result');
  });
});

describe('comparison notes and scope mixes', () => {
  it('a variant that changes only a scope mix keeps the same arrivals', () => {
    const variants = { 'more members': { customers: { ...shop.customers, segments: { vip: 1, regular: 1 } } }, busier: { arrivals: { perHour: 60 } } };
    const { stdout } = simulateCli(shop, ['--compare', 'v.json'], { 'v.json': JSON.stringify(variants) });
    expect(stdout).toMatch(/"base", "more members" had the same \d+ arrivals/);
    expect(stdout).toContain('"busier" changed the arrivals');
  });
});

describe('chats a policy strands', () => {
  it('a group nobody is in: its chats still waiting at the end are counted, in the figures, the table and the report', () => {
    // Boots are bound to a group without agents, and customers wait without a patience: no abandonment shows it.
    const stranding: Scenario = { ...shop, agents: [{ id: 'g', cap: 3, groups: ['通用'] }], router: { ...shop.router, noAgent: 'queue' } };
    const result = simulate(stranding);
    const stranded = result.consultations.filter((c) => c.product === 'boots' && c.segment !== 'vip');
    expect(stranded.length).toBeGreaterThan(0);
    expect(stranded.every((c) => c.outcome === 'open' && c.firstAssignedAt === null)).toBe(true);
    expect(result.summary.abandonments).toBe(0);
    expect(result.summary.waitingAtEnd).toBeGreaterThanOrEqual(stranded.length);
    expect(row(simulateCli(stranding).stdout, 'still waiting at the end')?.[1]).toBe(String(result.summary.waitingAtEnd));
    expect(simulateCli(stranding, ['--out', 'r.html']).written.get('r.html')).toContain(`<th>Still waiting in the queue at the end</th><td>${result.summary.waitingAtEnd}</td>`);
  });
});
