import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../emulator/faults/prng.js';
import { PROFILES } from '../../firmware-protocol/at/profiles.js';
import { commandLine, mutate } from '../../fuzz/at-corpus.js';
import { runCampaign, type FuzzTarget } from '../../fuzz/campaign.js';
import { EmulatorFuzzBench } from '../../fuzz/targets/emulator-bench.js';
import { checkHostParser, moduleOutput } from '../../fuzz/targets/host-parser.js';
import { checkModuleParser } from '../../fuzz/targets/module-parser.js';
import { FUZZ_TARGETS } from '../../fuzz/targets/index.js';

/**
 * The fuzzer's properties, driven by fast-check in the suite (short runs; `npm run fuzz` runs the
 * same targets for minutes): nothing escapes as an exception, the parsers stay within their bounds,
 * the module stays responsive and a correct session afterwards still succeeds.
 */

const PEERS = { tcp: 5000, udp: 5001 };

/** An AT-ish input: table-built lines, some damaged, some raw bytes. */
const atInput = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 2 ** 31 }).map((seed) => Buffer.from(`${commandLine(new SeededRandom(seed), PEERS)}\r\n`, 'latin1')),
      fc.integer({ min: 0, max: 2 ** 31 }).map((seed) => {
        const random = new SeededRandom(seed);
        return Buffer.from(mutate(Buffer.from(`${commandLine(random, PEERS)}\r\n`, 'latin1'), random));
      }),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => Buffer.concat(parts));

describe('parsers under random and mutated input (property)', () => {
  it('ModuleInputParser: never throws, line buffer bounded, reads everything', () => {
    fc.assert(
      fc.property(atInput, fc.integer({ min: 0, max: 2 ** 31 }), (input, seed) => {
        expect(checkModuleParser(input, new SeededRandom(seed))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('HostResponseParser: never throws, buffers bounded, on module output and damage done to it', () => {
    const profiles = Object.values(PROFILES);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.boolean(), fc.uint8Array({ maxLength: 300 }), (seed, damage, raw) => {
        const random = new SeededRandom(seed);
        const profile = profiles[seed % profiles.length];
        const good = moduleOutput(random, profile);
        const input = Buffer.concat([damage ? Buffer.from(mutate(good, random)) : good, Buffer.from(raw)]);
        expect(checkHostParser(input, profile, random)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe('the emulated module under random AT traffic (property)', () => {
  let bench: EmulatorFuzzBench;
  beforeAll(async () => {
    bench = await EmulatorFuzzBench.start();
  });
  afterAll(() => bench.close());

  it('no handler throws, `ready` always comes back, and a correct session still succeeds', async () => {
    await fc.assert(
      fc.asyncProperty(atInput, fc.boolean(), fc.integer({ min: 0, max: 2 ** 31 }), async (input, prepared, seed) => {
        expect(await bench.resetLine()).toBe(true);
        if (prepared) await bench.prepare();
        await bench.feed([input], new SeededRandom(seed));
        await bench.settle();
        expect(bench.takeInternalErrors()).toEqual([]);
      }),
      { numRuns: 40 },
    );
    expect(await bench.correctSession()).toBeNull();
  }, 60_000);
});

describe('the campaign runner', () => {
  it('runs every target within its budget and finds nothing on a short run', async () => {
    const report = await runCampaign({ seed: 7, seconds: 8, maxInputs: 30, targets: FUZZ_TARGETS });
    expect(report.targets.map((target) => target.name)).toEqual(['emulator-input', 'emulator-faults', 'module-parser', 'host-parser', 'driver-engine']);
    expect(report.targets.every((target) => target.inputs > 0)).toBe(true);
    expect(report.findings).toEqual([]);
  }, 60_000);

  it('counts what escapes a target — an unhandled rejection, a throw — as findings', async () => {
    const leaky: FuzzTarget = {
      name: 'leaky',
      description: 'rejects behind its own back, then throws',
      weight: 1,
      async run(context) {
        context.more(3);
        void Promise.reject(new Error('nobody awaited me'));
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('and then it threw');
      },
    };
    const report = await runCampaign({ seed: 1, seconds: 1, maxInputs: 10, targets: [leaky] });
    expect(report.findings.map((finding) => [finding.kind, finding.input])).toEqual([
      ['unhandled-rejection', 3],
      ['exception', 3],
    ]);
  });
});
