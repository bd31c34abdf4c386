import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FaultPlan } from '../../emulator/faults/fault-plan.js';
import {
  FAULT_KINDS,
  FaultSpecError,
  KIND_INFO,
  parseFaultSpec,
  type FaultSpec,
} from '../../emulator/faults/fault-spec.js';
import { formatFaultSpec } from '../../emulator/faults/fault-format.js';
import { SeededRandom, deriveSeed } from '../../emulator/faults/prng.js';
import { parseWorldConfig } from '../../emulator/world-config.js';

describe('fault syntax', () => {
  it.each([
    ['reset@0.01', { kind: 'reset', trigger: { type: 'rate', p: 0.01 }, params: {} }],
    ['reset@2%', { kind: 'reset', trigger: { type: 'rate', p: 0.02 }, params: {} }],
    ['drop@1/500:dir=in', { kind: 'drop', trigger: { type: 'rate', p: 0.002 }, params: { dir: 'in' } }],
    ['busy-p@#3:after-ok', { kind: 'busy-p', trigger: { type: 'nth', n: 3 }, params: { afterOk: true } }],
    ['wifi-drop@5s..20s*:rejoin=never', { kind: 'wifi-drop', trigger: { type: 'time', minMs: 5000, maxMs: 20000, repeat: true }, params: { rejoin: 'never' } }],
    ['delay:by=50ms..300ms,max=4', { kind: 'delay', trigger: { type: 'rate', p: 1 }, params: { by: { minMs: 50, maxMs: 300 }, max: 4 } }],
    ['dns-fail:after=1.5s', { kind: 'dns-fail', trigger: { type: 'rate', p: 1 }, params: { after: 1500 } }],
    ['stall@250ms:for=2s,dir=out', { kind: 'stall', trigger: { type: 'time', minMs: 250, maxMs: 250, repeat: false }, params: { for: 2000, dir: 'out' } }],
  ])('%s', (text, spec) => {
    expect(parseFaultSpec(text)).toEqual(spec);
  });

  it.each([
    ['explode', /unknown kind/],
    ['reset', /when should it happen/],
    ['reset@now', /is for `copro fault`/],
    ['drop', /give a rate/],
    ['drop@2s', /not a time/],
    ['reset@1.5', /rate must be in/],
    ['reset@#0', /#N/],
    ['busy-p@0.1:dir=in', /not a parameter/],
    ['delay:by=9..3', /by= needs/],
    ['split:pieces=1', /pieces= needs/],
    ['tcp-reset@#1:port=70000', /port= needs/],
    ['reset@0.1:max=1,max=2', /given twice/],
  ])('refuses %s', (text, why) => {
    expect(() => parseFaultSpec(text)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(text)).toThrow(why);
  });

  it('refuses a spec longer than 200 characters (specs also come over the control channel)', () => {
    expect(() => parseFaultSpec(`reset@0.1:${'x'.repeat(300)}`)).toThrow(/longer than 200/);
  });

  it('now is the control channel\'s default for event kinds', () => {
    expect(parseFaultSpec('reset', { allowNow: true }).trigger).toEqual({ type: 'now' });
    expect(parseFaultSpec('tcp-reset:port=80', { allowNow: true })).toMatchObject({ trigger: { type: 'now' }, params: { port: 80 } });
  });

  const specs: fc.Arbitrary<string> = fc
    .record({
      kind: fc.constantFrom(...FAULT_KINDS),
      trigger: fc.oneof(
        fc.integer({ min: 1, max: 1000 }).map((n) => `#${n}`),
        fc.integer({ min: 1, max: 10000 }).map((n) => `1/${n}`),
        fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.boolean()).map(([a, b, r]) => `${a}ms..${a + b}ms${r ? '*' : ''}`),
      ),
      max: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
    })
    .filter(({ kind, trigger }) => KIND_INFO[kind].event || !trigger.includes('ms'))
    .map(({ kind, trigger, max }) => `${kind}@${trigger}${max === undefined ? '' : `:max=${max}`}`);

  it('formatting a parsed spec gives text that parses to the same spec (property)', () => {
    fc.assert(
      fc.property(specs, (text) => {
        const spec = parseFaultSpec(text);
        expect(parseFaultSpec(formatFaultSpec(spec))).toEqual(spec);
      }),
    );
  });

  it('any text either parses or is a FaultSpecError, nothing else (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), specs.map((s) => s.replace(/[@:#]/, ''))), (text) => {
        try {
          parseFaultSpec(text);
        } catch (error) {
          expect(error).toBeInstanceOf(FaultSpecError);
        }
      }),
    );
  });

  it('the config section takes a seed and a plan, and names the bad entry', () => {
    const world = parseWorldConfig({ faults: { seed: 42, plan: ['reset@10s', 'split@0.5'] } });
    expect(world.faults?.seed).toBe(42);
    expect(world.faults?.plan.map(formatFaultSpec)).toEqual(['reset@10s', 'split@0.5']);
    expect(() => parseWorldConfig({ faults: { plan: ['reset@10s', 'drop'] } })).toThrow(/faults\.plan\[1\]: bad fault "drop"/);
  });
});

describe('the seeded plan', () => {
  it('the same seed gives the same numbers; streams per label are independent', () => {
    const a = new SeededRandom(deriveSeed(7, 'x'));
    const b = new SeededRandom(deriveSeed(7, 'x'));
    const c = new SeededRandom(deriveSeed(7, 'y'));
    const take = (random: SeededRandom) => Array.from({ length: 20 }, () => random.nextUint32());
    const first = take(a);
    expect(take(b)).toEqual(first);
    expect(take(c)).not.toEqual(first);
  });

  it('rate hits land on the same stream positions however the stream is chunked (property)', () => {
    const spec: FaultSpec = parseFaultSpec('corrupt@0.05');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const whole = new FaultPlan(3);
        const chunked = new FaultPlan(3);
        const total = sizes.reduce((sum, n) => sum + n, 0);
        const expected = whole.hits(whole.arm(spec), total);
        const fault = chunked.arm(spec);
        const got: number[] = [];
        let offset = 0;
        for (const size of sizes) {
          got.push(...chunked.hits(fault, size).map((hit) => hit + offset));
          offset += size;
        }
        expect(got).toEqual(expected);
      }),
    );
  });

  it('a rate fires about as often as it says', () => {
    const plan = new FaultPlan(99);
    const fault = plan.arm(parseFaultSpec('drop@0.01'));
    const hits = plan.hits(fault, 100_000).length;
    expect(hits).toBeGreaterThan(800);
    expect(hits).toBeLessThan(1200);
  });

  it('#N fires once on the N-th chance; max= caps a rate', () => {
    const plan = new FaultPlan(1);
    const nth = plan.arm(parseFaultSpec('reset@#3'));
    expect([1, 2, 3, 4, 5].map(() => plan.chance(nth))).toEqual([false, false, true, false, false]);
    const capped = plan.arm(parseFaultSpec('busy-p@1:max=2'));
    expect([1, 2, 3].map(() => plan.chance(capped))).toEqual([true, true, false]);
    expect(plan.spent(capped)).toBe(true);
  });
});
