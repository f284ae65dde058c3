import { describe, expected, RoutingError } from '../errors.js';
import { checkRunOptions, scenarioProblems, simulate, type SimulateOptions } from './engine.js';
import type { KeyFigures, SimulationResult } from './result.js';
import { scenarioError, type Scenario } from './scenario.js';

/** One run of a comparison. */
export interface VariantRun {
  /** `'base'` for the scenario as given, else the variant's key. */
  name: string;
  /** The scenario that ran: the base with the variant merged in. */
  scenario: Scenario;
  /** Its key figures (the same object as `result.summary`). */
  figures: KeyFigures;
  /** The run's whole result, as {@link simulate} returns it. */
  result: SimulationResult;
}

/** What {@link compare} returns: the base first, then each variant in key order of `variants`. */
export interface Comparison {
  /** One run per scenario: the base first, then the variants. */
  runs: VariantRun[];
}

/**
 * Runs a scenario and variants of it on the same seed, hence on the same arrivals, and returns
 * their key figures side by side — what would happen with weighted split, 30 % robot-first, or two
 * more agents on a promotion day.
 *
 * A variant's `router` is merged into the base's field by field (`{ ...base.router,
 * ...variant.router }`), where `undefined` — or `null`, which JSON can write — turns a base
 * option off (its default applies); every other field it gives replaces the base's (give the whole `agents`
 * list to change agents). A variant that changes `arrivals`, `customers`, `durationMs` or `seed`
 * changes the arrivals too — except the scope mixes (`customers.segments`, `products`,
 * `intents`) and the cost mix (`customers.costs`), which have streams of their own and change
 * only the values drawn. Each run's
 * figures include its per-group entries (`figures.groups`).
 *
 * @example
 * ```ts
 * const { runs } = compare(scenario, {
 *   weighted: { router: { splitMode: 'weighted' } },
 *   'robot 30%': { router: { robot: true, receptionMode: 'mixed', robotRatio: 0.3 }, robot: { resolveShare: 0.5 } },
 * });
 * for (const run of runs) console.log(run.name, run.figures.responseRate1m);
 * ```
 *
 * @param options - `onProgress` sees the runs as one: `done` and `total` add up every run's simulated time.
 * @throws {RoutingError} `INVALID_SCENARIO` for a malformed base or variant (listing the problems
 *   of all of them, before any run), or a variant named `'base'`.
 */
export function compare(scenario: Scenario, variants: Record<string, Partial<Scenario>>, options: SimulateOptions = {}): Comparison {
  const { onProgress } = checkRunOptions(options);
  if (typeof variants !== 'object' || variants === null || Array.isArray(variants)) throw expected('INVALID_SCENARIO', 'variants', 'an object of named partial scenarios', variants);
  const scenarios: { name: string; scenario: Scenario }[] = [{ name: 'base', scenario }];
  for (const [name, variant] of Object.entries(variants)) {
    if (name === 'base') throw new RoutingError('INVALID_SCENARIO', "Expected variant names other than 'base' (the name of the scenario as given)", 'variants.base');
    if (typeof variant !== 'object' || variant === null || Array.isArray(variant)) throw expected('INVALID_SCENARIO', `variants.${name}`, 'a partial scenario (an object)', variant);
    if (variant.router !== undefined && (typeof variant.router !== 'object' || variant.router === null)) {
      throw new RoutingError('INVALID_SCENARIO', `Expected \`variants.${name}.router\` to be an object, got ${describe(variant.router)}`, `variants.${name}.router`);
    }
    const router: Record<string, unknown> = { ...scenario.router };
    for (const [key, value] of Object.entries(variant.router ?? {})) {
      // Defined, not assigned: a `__proto__` key from JSON stays a key, refused as unknown.
      if (value === null) delete router[key];
      else Object.defineProperty(router, key, { value, enumerable: true, writable: true, configurable: true });
    }
    scenarios.push({ name, scenario: { ...scenario, ...variant, router } });
  }
  // Every problem of every run is reported at once, before anything runs; a variant's problem
  // that it inherits unchanged from the base is reported once, for the base.
  const problems: RoutingError[] = [];
  const inBase = new Set<string>();
  for (const { name, scenario: s } of scenarios) {
    for (const problem of scenarioProblems(s)) {
      const key = `${problem.field ?? ''}\n${problem.message}`;
      if (name === 'base') {
        inBase.add(key);
        problems.push(problem);
      } else if (!inBase.has(key)) {
        problems.push(new RoutingError(problem.code, `In variant ${JSON.stringify(name)}: ${problem.message}`, problem.field));
      }
    }
  }
  if (problems.length > 0) throw scenarioError(problems);
  const runs = scenarios.map(({ name, scenario: s }, i): VariantRun => {
    const progress = onProgress === undefined ? undefined : (done: number, total: number): void => onProgress(i * total + done, scenarios.length * total);
    let result: SimulationResult;
    try {
      result = simulate(s, progress === undefined ? {} : { onProgress: progress });
    } catch (error) {
      // A trace arrival the router refuses is found only when the run reaches it.
      if (error instanceof RoutingError && name !== 'base') throw new RoutingError(error.code, `In variant ${JSON.stringify(name)}: ${error.message}`, error.field);
      throw error;
    }
    return { name, scenario: s, figures: result.summary, result };
  });
  return { runs };
}
