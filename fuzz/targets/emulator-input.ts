import { describeInput, type FuzzTarget, type TargetStats } from '../campaign.js';
import { fuzzInput } from '../at-corpus.js';
import { MemoryWatch } from '../memory.js';
import { EmulatorFuzzBench } from './emulator-bench.js';

/** Memory the daemon may gain over a whole run before it counts as a leak (retained, after GC). */
const MEMORY_BOUND = 64 * 1024 * 1024;
/** A full well-behaved session is replayed every this many inputs (and at the end). */
const SESSION_EVERY = 25;

/**
 * Random and mutated AT traffic into a whole emulated module (in-process pair, real stack, loopback
 * peers). Each input starts from the reset line (`ready`), half of them from a joined module with
 * two links open; then the bytes go in, cut at random. Findings: a handler that threw (the module
 * answers ERROR but it is a bug), no `ready` after the reset line (unresponsive), a correct session
 * that fails afterwards, retained memory growing past the bound, anything that escapes.
 */
export const emulatorInputTarget: FuzzTarget = {
  name: 'emulator-input',
  description: 'random and mutated AT traffic into an emulated module',
  weight: 3,
  async run(context): Promise<TargetStats> {
    const bench = await EmulatorFuzzBench.start();
    const watch = new MemoryWatch();
    let inputs = 0;
    let bytes = 0;
    let sessions = 0;
    try {
      while (context.more(inputs)) {
        const chunks = fuzzInput(context.random, bench.peers);
        const sample = describeInput(Buffer.concat(chunks.map((chunk) => Buffer.from(chunk))));
        if (!(await bench.resetLine())) {
          context.found({ kind: 'unresponsive', detail: 'no `ready` after the reset line', input: inputs, sample });
          break;
        }
        if (context.random.next() < 0.5) {
          await bench.prepare().catch((error: Error) =>
            context.found({ kind: 'prepare-failed', detail: error.message, input: inputs }),
          );
        }
        bytes += await bench.feed(chunks, context.random);
        await bench.settle();
        for (const error of bench.takeInternalErrors()) context.found({ kind: 'handler-threw', detail: error, input: inputs, sample });
        inputs++;
        if (inputs % SESSION_EVERY === 0) {
          sessions++;
          const failure = await bench.correctSession();
          if (failure) context.found({ kind: 'session-failed', detail: failure, input: inputs - 1, sample });
        }
        if (inputs % 200 === 0) {
          const growth = watch.sample();
          context.log(`${inputs} inputs, retained memory ${(growth / 1e6).toFixed(1)} MB over the start`);
          if (growth > MEMORY_BOUND) context.found({ kind: 'memory', detail: `retained memory grew ${(growth / 1e6).toFixed(1)} MB`, input: inputs - 1 });
        }
      }
      sessions++;
      const failure = await bench.correctSession();
      if (failure) context.found({ kind: 'session-failed', detail: `final session: ${failure}`, input: inputs });
    } finally {
      await bench.close();
    }
    return { inputs, bytes, figures: { 'correct sessions': sessions, 'MB peak retained growth': Math.round(watch.peakGrowth / 1e5) / 10 } };
  },
};
