import { FaultInjector } from '../../emulator/faults/injector.js';
import type { SeededRandom } from '../../emulator/faults/prng.js';
import { describeInput, type FuzzTarget, type TargetStats } from '../campaign.js';
import { fuzzInput } from '../at-corpus.js';
import { EmulatorFuzzBench } from './emulator-bench.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';

/** Faults a fuzz input may run under: rates high enough to hit within one input, times short. */
const FAULT_MENU = [
  'reset@0.1',
  'busy-p@0.3',
  'busy-s@0.2:after-ok',
  'wifi-drop@0.2:rejoin=5ms',
  'tcp-reset@0.3',
  'dns-fail@0.5:after=5ms',
  'drop@0.01',
  'corrupt@0.01',
  'dup@0.01',
  'delay@0.3:by=1ms..10ms',
  'stall@0.05:for=15ms',
  'split@0.5:pieces=5,gap=1ms',
  'reset@5ms..40ms',
  'wifi-drop@5ms..40ms:rejoin=never',
  'tcp-reset@1ms..30ms',
  'stall@1ms..30ms:for=10ms',
];

function pickPlan(random: SeededRandom): string[] {
  const plan = new Set<string>();
  for (let i = random.int(1, 3); i > 0; i--) plan.add(FAULT_MENU[random.int(0, FAULT_MENU.length - 1)]);
  return [...plan];
}

/**
 * The same traffic as emulator-input, with a random fault plan armed for each input (every kind,
 * rates and timers): the fault layers must never throw either, and once the faults are cleared the
 * module must serve a correct session again.
 */
export const emulatorFaultsTarget: FuzzTarget = {
  name: 'emulator-faults',
  description: 'random AT traffic into an emulated module under random faults',
  weight: 2,
  async run(context): Promise<TargetStats> {
    const faults = new FaultInjector({ seed: context.seed });
    const bench = await EmulatorFuzzBench.start(DEFAULT_PROFILE.id, faults);
    let inputs = 0;
    let bytes = 0;
    let sessions = 0;
    let injected = 0;
    faults.onInjected((_kind, _detail, count) => (injected += count));
    try {
      while (context.more(inputs)) {
        const chunks = fuzzInput(context.random, bench.peers);
        const plan = pickPlan(context.random);
        const sample = `${plan.join(' ')} | ${describeInput(Buffer.concat(chunks.map((chunk) => Buffer.from(chunk))))}`;
        faults.clear();
        if (!(await bench.resetLine())) {
          context.found({ kind: 'unresponsive', detail: 'no `ready` after the reset line', input: inputs, sample });
          break;
        }
        if (context.random.next() < 0.5) await bench.prepare().catch(() => undefined); // faults may be on already: no finding
        for (const spec of plan) faults.apply(spec);
        bytes += await bench.feed(chunks, context.random);
        await bench.settle(15);
        faults.clear();
        for (const error of bench.takeInternalErrors()) context.found({ kind: 'handler-threw', detail: error, input: inputs, sample });
        inputs++;
        if (inputs % 25 === 0) {
          sessions++;
          const failure = await bench.correctSession();
          if (failure) context.found({ kind: 'session-failed', detail: `after faults were cleared: ${failure}`, input: inputs - 1, sample });
        }
      }
      faults.clear();
      sessions++;
      const failure = await bench.correctSession();
      if (failure) context.found({ kind: 'session-failed', detail: `final session: ${failure}`, input: inputs });
    } finally {
      await bench.close();
    }
    return { inputs, bytes, figures: { 'faults injected': injected, 'correct sessions': sessions } };
  },
};
