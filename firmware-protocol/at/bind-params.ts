import type { ParamMismatch, ParamSpec, ParamValue, SetSignature } from './command-spec.js';
import type { AtParam } from './types.js';

export type BindResult =
  | { readonly ok: true; readonly values: ParamValue[]; readonly signature: SetSignature }
  /** `index`: the parameter that failed (-1: more parameters than any signature takes). */
  | { readonly ok: false; readonly mismatch: ParamMismatch; readonly index: number };

/**
 * Checks one parameter against its spec. An omitted or empty parameter is allowed only where
 * the spec says optional; a missing required one counts as a wrong parameter number.
 */
function bindOne(spec: ParamSpec, param: AtParam | undefined): { value: ParamValue } | { mismatch: ParamMismatch } {
  if (param === undefined && spec.placeRequired) return { mismatch: 'param-number' };
  if (param === undefined || param.kind === 'empty') {
    return spec.optional ? { value: undefined } : { mismatch: 'param-number' };
  }
  if (spec.type === 'int') {
    if (param.kind !== 'int' || (param.hex === true && spec.hex !== true)) return { mismatch: 'param-type' };
    if (spec.min !== undefined && param.value < spec.min) return { mismatch: 'param-invalid' };
    if (spec.max !== undefined && param.value > spec.max) return { mismatch: 'param-invalid' };
    return { value: param.value };
  }
  if (param.kind !== 'string') return { mismatch: 'param-type' };
  if (spec.maxLength !== undefined && param.value.length > spec.maxLength) return { mismatch: 'param-length' };
  if (spec.oneOf !== undefined && !spec.oneOf.includes(param.value)) return { mismatch: 'param-invalid' };
  return { value: param.value };
}

/** Binds parameters to one signature (its mux condition is the caller's business). */
export function bindSignature(signature: SetSignature, params: readonly AtParam[]): BindResult {
  if (params.length > signature.params.length) return { ok: false, mismatch: 'param-number', index: -1 };
  const values: ParamValue[] = [];
  for (let i = 0; i < signature.params.length; i += 1) {
    const one = bindOne(signature.params[i], params[i]);
    if ('mismatch' in one) return { ok: false, mismatch: one.mismatch, index: i };
    values.push(one.value);
  }
  return { ok: true, values, signature };
}

/**
 * Binds parsed set parameters to the first signature of `spec` that applies to the link mode
 * and accepts them. When none does, the reported mismatch is that of the alternative that got
 * furthest (the failing parameter with the highest index; the first such alternative on a tie),
 * so `AT+CIPSEND=5,"host"` is a missing port, not "too many parameters for `<len>`".
 */
export function bindSetParams(
  spec: { readonly set?: readonly SetSignature[] },
  params: readonly AtParam[],
  mux: 'single' | 'multi',
): BindResult {
  let best: BindResult = { ok: false, mismatch: 'param-number', index: -1 };
  for (const signature of spec.set ?? []) {
    if (signature.mux !== 'any' && signature.mux !== mux) continue;
    const result = bindSignature(signature, params);
    if (result.ok) return result;
    if (!best.ok && result.index > best.index) best = result;
  }
  return best;
}
