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
