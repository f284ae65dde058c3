import type { RouterOptions } from '../options.js';
import type { KeyFigures } from '../simulate/result.js';
import type { Scenario } from '../simulate/scenario.js';

/**
 * A share as a percentage with one decimal, or more where one would round a share below 1 up to
 * "100.0%" (a 99.9999 % target must not read as 100 %); `–` for `null` (nothing to measure).
 */
export function pct(share: number | null): string {
  if (share === null) return '–';
  const percent = share * 100;
  for (let digits = 1; digits <= MAX_DIGITS; digits++) {
    const text = percent.toFixed(digits);
    if (share >= 1 || Number(text) < 100) return `${text}%`;
  }
  return `> ${(100 - 10 ** (2 - MAX_DIGITS)).toFixed(MAX_DIGITS - 2)}%`;
}

/** The most decimals {@link pct} shows. */
const MAX_DIGITS = 6;

/** A wait in seconds (`30.9 s`), or in minutes from two minutes up (`5.0 min`); `–` for `null`. */
export function secs(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

/** A count with thousands separators, the same on every machine: `2,237`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 agent`, `2 agents`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** A message on one line: file-system errors and the like may carry line breaks. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** The run shape the time rows read: a scenario and its key figures. */
interface RunFigures {
  scenario: Scenario;
  figures: KeyFigures;
}

/**
 * The key-figure rows of the router's time options — mean wait, re-offers after an answer
 * timeout, suspensions, chats never answered, overflows, holds, arrivals while closed and chats
 * put on hold when quiet — as `[label, cell per run]`, each shown only when some run sets the
 * option or has something to count. Labels are lower case; the terminal table and the HTML report
 * share them.
 */
export function timeRows(runs: readonly RunFigures[]): [string, (run: RunFigures) => string][] {
  const rows: [string, (run: RunFigures) => string][] = [];
  const any = (f: (run: RunFigures) => boolean): boolean => runs.some(f);
  const router = (run: RunFigures): RouterOptions => run.scenario.router ?? {};
  if (any((r) => (r.figures.meanWaitMs ?? 0) > 0)) rows.push(['mean wait for an agent', (r) => secs(r.figures.meanWaitMs)]);
  if (any((r) => router(r).answerTimeoutMs !== undefined || r.figures.reoffers > 0)) rows.push(['re-offered after no answer', (r) => count(r.figures.reoffers)]);
  if (any((r) => router(r).suspendAfterMisses !== undefined || r.figures.suspensions > 0)) rows.push(['agents suspended after misses', (r) => count(r.figures.suspensions)]);
  if (any((r) => r.figures.unanswered > 0)) rows.push(['never answered', (r) => count(r.figures.unanswered)]);
  if (any((r) => (router(r).groups ?? []).some((g) => (g.overflow ?? []).length > 0) || r.figures.overflows > 0)) rows.push(['overflowed to another group', (r) => count(r.figures.overflows)]);
  if (any((r) => (router(r).holdForRecentContactMs ?? 0) > 0 || r.figures.holds > 0)) rows.push(['held for their recent contact', (r) => `${count(r.figures.holds)} (${count(r.figures.holdsKept)} got them)`]);
  if (any((r) => router(r).businessHours !== undefined || r.figures.closed > 0)) rows.push(['arrived while closed', (r) => count(r.figures.closed)]);
  if (any((r) => router(r).inactiveAfterMs !== undefined || r.figures.inactivityHolds > 0)) rows.push(['put on hold when quiet', (r) => `${count(r.figures.inactivityHolds)} (${count(r.figures.resumed)} resumed)`]);
  return rows;
}
