import type { FuzzTarget } from '../campaign.js';
import { driverEngineTarget } from './driver-engine.js';
import { emulatorFaultsTarget } from './emulator-faults.js';
import { emulatorInputTarget } from './emulator-input.js';
import { hostParserTarget } from './host-parser.js';
import { moduleParserTarget } from './module-parser.js';

/**
 * Every fuzz target `npm run fuzz` knows, by name. A new one (the driver's parser, issue 3; soak
 * scenarios) is a FuzzTarget added here.
 */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [emulatorInputTarget, emulatorFaultsTarget, moduleParserTarget, hostParserTarget, driverEngineTarget];
