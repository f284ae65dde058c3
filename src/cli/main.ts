import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { version } from '../../package.json';
import { RoutingError } from '../errors.js';
import { UsageError } from './flags.js';
import { oneLine } from './format.js';
import { PLAN_USAGE, runPlan } from './plan.js';
import { SIMULATE_USAGE, simulateCommand } from './simulate.js';

/** What the command line reads and writes: the process by default, anything in tests. */
export interface CliIo {
  /** Writes to standard output (the figures, the story). */
  stdout(text: string): void;
  /** Writes to standard error (errors, progress). */
  stderr(text: string): void;
  /** Whether standard error is a terminal: a progress bar there, else a progress line now and then. */
  stderrIsTTY: boolean;
  /** Reads a UTF-8 file; throws (with `code: 'ENOENT'` for a missing one) when it cannot. */
  readFile(path: string): string;
  /** Writes a UTF-8 file; throws when it cannot. */
  writeFile(path: string, text: string): void;
  /** Throws when a file could not be written at `path` (its folder missing or read-only): checked before a long run. */
  checkWritable(path: string): void;
  /** A wall clock in ms, for spacing the progress lines; only differences are used. */
  now(): number;
}

/** The `fenliu` usage text, printed by `--help`. */
export const USAGE = [
  'Usage: fenliu <command> [flags]',
  '',
  'Commands:',
  '  simulate   Runs a what-if scenario (a JSON file: agents, arrivals, customers, router options)',
  '             through the router and prints the key figures; with --compare, variants of it side',
  '             by side; with --out, an HTML report. Without a file, a built-in demo shop.',
  '  plan       Prints the agents needed for a service-level target, by Erlang C / Erlang A.',
  '',
  '  fenliu <command> --help   the command\'s flags (simulate: the scenario file, with an example)',
  '  fenliu -v, --version      the version of fenliu',
  '',
].join('\n');

function defaultIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFile: (path, text) => writeFileSync(path, text, 'utf8'),
    checkWritable: (path) => {
      const exists = existsSync(path);
      if (exists && statSync(path).isDirectory()) throw new Error('it is a folder');
      accessSync(exists ? path : dirname(path), constants.W_OK);
    },
    now: () => performance.now(),
  };
}

/**
 * The `fenliu` command line. Returns the exit code: 0 on success, 2 for bad flags, files or
 * scenarios (one line on stderr; a scenario with several problems gets one line each), 1 for
 * anything unexpected (also one line — never a stack trace).
 *
 * @param argv - the arguments after the program name, e.g. `['simulate', 'shop.json', '--out', 'r.html']`.
 * @param io - where to read and write; defaults to the process and the file system.
 */
export function main(argv: readonly string[], io: Partial<CliIo> = {}): number {
  const out: CliIo = { ...defaultIo(), ...io };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'simulate':
        return simulateCommand(rest, out);
      case 'plan': {
        const result = runPlan(rest);
        if (result.stdout !== '') out.stdout(result.stdout);
        if (result.stderr !== '') out.stderr(result.stderr);
        return result.exitCode;
      }
      case '--help':
      case '-h':
      case 'help':
        out.stdout(helpFor(rest[0]));
        return 0;
      case '--version':
      case '-v':
        out.stdout(`${version}\n`);
        return 0;
      case undefined:
        throw new UsageError('expected a command, simulate or plan (fenliu --help lists them)');
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; expected simulate or plan (fenliu --help lists them)`);
    }
  } catch (error) {
    const prefix = `fenliu${command === 'simulate' ? ' simulate' : ''}: `;
    if (error instanceof RoutingError && error.code === 'INVALID_SCENARIO') {
      // A scenario's problems come one per line: keep them so, indented under the first.
      out.stderr(`${prefix}${error.message.split('\n').map((line) => line.trim()).join('\n  ')}\n`);
      return 2;
    }
    if (error instanceof UsageError || error instanceof RoutingError) {
      out.stderr(`${prefix}${oneLine(error.message)}\n`);
      return 2;
    }
    out.stderr(`fenliu: internal error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
}

/** `fenliu help [command]`: the command's own help, else the overview. */
function helpFor(topic: string | undefined): string {
  if (topic === 'simulate') return SIMULATE_USAGE;
  if (topic === 'plan') return PLAN_USAGE;
  if (topic === undefined) return USAGE;
  throw new UsageError(`no help on ${JSON.stringify(topic)}; expected simulate or plan (fenliu --help lists the commands)`);
}
