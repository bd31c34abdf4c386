/** Fault injection: a seeded plan and the serial, network and module layers that act on it. */
export { FaultInjector } from './injector.js';
export type { ArmedFaultStatus, FaultInjectorOptions, FaultStatus, InjectionListener, ModuleParts } from './injector.js';
export { FaultPlan } from './fault-plan.js';
export type { ArmedFault } from './fault-plan.js';
export {
  FAULT_KINDS,
  FaultSpecError,
  KIND_INFO,
  faultKey,
  isFaultKind,
  parseFaultSpec,
} from './fault-spec.js';
export { formatFaultSpec, formatTrigger } from './fault-format.js';
export type { Direction, FaultKind, FaultParams, FaultSpec, Opportunity, Trigger } from './fault-spec.js';
export { SeededRandom, deriveSeed } from './prng.js';
export { FaultyTransport, HELD_INPUT_BYTES, HELD_OUTPUT_BYTES } from './faulty-transport.js';
export { FaultyStack } from './faulty-stack.js';
export { parseFaultsSection, type FaultsConfig } from './faults-config.js';
