/** Tests import the manual clock from here; it lives in runtime/ because the fuzz harness runs on it too. */
export { ManualClock } from '../../runtime/manual-clock.js';
