import type { BenchSuite } from './types.js';
import { rawPtySuite } from './raw-pty.js';
import { atRoundTripSuite } from './at-round-trip.js';
import { pacedSuite } from './paced.js';
import { driverBulkSuite } from './driver-bulk.js';
import { driverConnectsSuite } from './driver-connects.js';
import { driverUdpSuite } from './driver-udp.js';
import { driverHttpSuite } from './driver-http.js';
import { moduleHttpSuite } from './module-http.js';
import { fleetSuite } from './fleet.js';
import { tapSuite } from './tap.js';
import { mpySuite } from './mpy.js';
import { softApPairSuite } from './softap-pair.js';

/**
 * Every suite, in run order. Baselines first: later suites judge their figures against them.
 */
export const SUITES: readonly BenchSuite[] = [
  rawPtySuite,
  atRoundTripSuite,
  pacedSuite,
  driverBulkSuite,
  driverConnectsSuite,
  driverUdpSuite,
  driverHttpSuite,
  moduleHttpSuite,
  fleetSuite,
  tapSuite,
  mpySuite,
  softApPairSuite,
];
