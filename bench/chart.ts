import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Draws docs/performance-chart.svg from bench/results.json (`npm run bench` runs it): route + end
 * cycles per second against the number of agents, both axes log scale, for fenliu and its
 * baselines.
 */
type RouteRow = { agents: number } & Record<string, number>;
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const results = JSON.parse(readFileSync(here('./results.json'), 'utf8')) as { route: RouteRow[]; machine: { cpu: string; cores: number; node: string }; date: string };
const rows = results.route;
const series = [
  { key: 'bare heap', name: 'bare heap (reference)', color: '#888888', dash: '6 4' },
  { key: 'string-id floor', name: 'string-id floor', color: '#2f9e44', dash: '1 3' },
  { key: 'fenliu', name: 'fenliu', color: '#d9480f', dash: '' },
  { key: 'linear scan', name: 'linear scan', color: '#1c7ed6', dash: '2 3' },
];

const [W, H, left, right, top, bottom] = [720, 440, 80, 160, 40, 60];
const xs = rows.map((r) => r.agents);
const values = rows.flatMap((r) => series.map((x) => r[x.key] ?? 0)).filter((v) => v > 0);
const [xMin, xMax] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
const [yMin, yMax] = [Math.floor(Math.log10(Math.min(...values))), Math.ceil(Math.log10(Math.max(...values)))];
const x = (agents: number): number => left + ((Math.log10(agents) - xMin) / (xMax - xMin)) * (W - left - right);
const y = (v: number): number => top + (1 - (Math.log10(v) - yMin) / (yMax - yMin)) * (H - top - bottom);
const label = (v: number): string => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : `${v}`);

const parts: string[] = [];
parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
parts.push(`<text x="${left}" y="22" font-size="14" font-weight="bold">route + end cycles per second (with churn) vs agents, log–log</text>`);
for (let e = yMin; e <= yMax; e++) {
  const v = 10 ** e;
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e9ecef"/>`, `<text x="${left - 8}" y="${y(v) + 4}" text-anchor="end">${label(v)}</text>`);
}
for (const a of xs) {
  parts.push(`<line x1="${x(a)}" x2="${x(a)}" y1="${top}" y2="${H - bottom}" stroke="#e9ecef"/>`, `<text x="${x(a)}" y="${H - bottom + 18}" text-anchor="middle">${a.toLocaleString('en-US')}</text>`);
}
parts.push(`<text x="${(left + W - right) / 2}" y="${H - 18}" text-anchor="middle">agents</text>`);
parts.push(`<text x="18" y="${(top + H - bottom) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(top + H - bottom) / 2})">cycles / s</text>`);
series.forEach((s, i) => {
  const pts = rows.filter((r) => (r[s.key] ?? 0) > 0).map((r) => [x(r.agents).toFixed(1), y(r[s.key] ?? 0).toFixed(1)]);
  parts.push(`<polyline points="${pts.map((p) => p.join(',')).join(' ')}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dash === '' ? '' : ` stroke-dasharray="${s.dash}"`}/>`);
  for (const [cx, cy] of pts) parts.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${s.color}"/>`);
  const ly = top + 20 + i * 22;
  parts.push(`<line x1="${W - right + 16}" x2="${W - right + 46}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"${s.dash === '' ? '' : ` stroke-dasharray="${s.dash}"`}/>`);
  parts.push(`<text x="${W - right + 52}" y="${ly + 4}">${s.name}</text>`);
});
parts.push(`<text x="${left}" y="${H - 4}" font-size="10" fill="#868e96">${results.machine.cpu}, ${results.machine.cores} cores, node ${results.machine.node}; medians; ${results.date.slice(0, 10)}</text>`);
parts.push('</svg>');
writeFileSync(here('../docs/performance-chart.svg'), `${parts.join('\n')}\n`);
process.stdout.write('wrote docs/performance-chart.svg\n');
