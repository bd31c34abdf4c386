import type { FieldReader } from '../network/config-fields.js';
import { FaultSpecError, parseFaultSpec, type FaultSpec } from './fault-spec.js';

/**
 * The world config's `faults` section:
 * ```json
 * "faults": { "seed": 42, "plan": ["reset@10s..60s*", "corrupt@1/20000:dir=out", "split@0.3"] }
 * ```
 * `seed` is optional (a random seed is chosen and traced); `copro emulate --seed` overrides it and
 * `--fault` adds to the plan (replacing a fault of the same kind).
 */
export interface FaultsConfig {
  readonly seed?: number;
  readonly plan: readonly FaultSpec[];
}

export function parseFaultsSection(read: FieldReader, value: unknown): FaultsConfig {
  const section = read.object(value, 'faults');
  read.onlyKeys(section, ['seed', 'plan'], 'faults');
  const seed = section.seed === undefined ? undefined : read.integer(section.seed, 'faults.seed', 0, 0xffffffff);
  const plan = section.plan === undefined ? [] : read.array(section.plan, 'faults.plan');
  const specs = plan.map((entry, index) => {
    const path = `faults.plan[${index}]`;
    const text = read.string(entry, path, 1, 200);
    try {
      return parseFaultSpec(text);
    } catch (error) {
      if (error instanceof FaultSpecError) return read.fail(path, error.message);
      throw error;
    }
  });
  return Object.freeze({ ...(seed === undefined ? {} : { seed }), plan: Object.freeze(specs) });
}
