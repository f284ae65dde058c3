/**
 * What-if simulation: a shop's routing policy driven through the real `Router` by a seeded,
 * deterministic discrete-event simulation. See docs/simulation.md.
 *
 * @module
 */
export { simulate } from './engine.js';
export { compare } from './compare.js';
export { demoScenario } from './demo.js';
export type { SimulateOptions } from './engine.js';
export type {
  Abandonment,
  AgentFigures,
  AgentSeries,
  ConsultationOutcome,
  GroupFigures,
  KeyFigures,
  SimulationResult,
  SimulationSeries,
} from './result.js';
export type { Comparison, VariantRun } from './compare.js';
export type { Distribution } from './distributions.js';
export type { Arrivals, CustomerMix, RobotBehaviour, Scenario, Shift, SimulatedAgent, TraceArrival } from './scenario.js';
