import { parseArgs } from 'node:util';

/** A problem with the command line or its files: reported on stderr with exit code 2. */
export class UsageError extends Error {}

/** One flag of a command: `--name <value>` (a string) or a bare switch such as `--help`. */
export interface FlagSpec {
  /** A value for the messages' examples (`--out needs a value, e.g. --out report.html`); absent for a switch. */
  example?: string;
  /** A one-letter alias, e.g. `h` for `-h`. */
  short?: string;
}

/** What {@link readFlags} found: each flag given (a switch as `true`), and the other arguments in order. */
export interface Flags {
  values: ReadonlyMap<string, string | true>;
  positionals: readonly string[];
}

/**
 * Reads a command's flags with Node's `util.parseArgs`, and words every complaint the same way for
 * every command: an unknown flag (with the known ones and where the help is), a flag given twice,
 * a value missing, a value given to a switch.
 *
 * parseArgs runs in its lenient mode so that these checks, and their messages, are ours: its strict
 * mode would refuse `--arrivals-per-hour -3` as a missing value, where "must be >= 0" is the truth.
 * A value that starts with `--` is taken for a forgotten value followed by the next flag.
 *
 * @param command - the command as typed, for the messages (`fenliu simulate`).
 * @throws {UsageError}
 */
export function readFlags(command: string, args: readonly string[], specs: Readonly<Record<string, FlagSpec>>): Flags {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.example === undefined ? 'boolean' : 'string', ...(spec.short === undefined ? {} : { short: spec.short }) };
  }
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  const known = Object.keys(specs).filter((name) => specs[name]?.example !== undefined).map((name) => `--${name}`);
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (spec === undefined) {
      throw new UsageError(`unknown flag ${token.rawName}; expected ${list(known)} (${command} --help lists them)`);
    }
    const flag = `--${token.name}`;
    if (values.has(token.name)) throw new UsageError(`${flag} given twice`);
    if (spec.example === undefined) {
      if (token.value !== undefined) throw new UsageError(`${flag} takes no value, got ${JSON.stringify(token.value)}`);
      values.set(token.name, true);
      continue;
    }
    const value = token.value;
    if (value === undefined || value === '' || (token.inlineValue !== true && value.startsWith('--'))) {
      throw new UsageError(`${flag} needs a value, e.g. ${flag} ${spec.example}`);
    }
    values.set(token.name, value);
  }
  return { values, positionals };
}

/** `a`, `a or b`, `a, b or c`. */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? 'no flags') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
