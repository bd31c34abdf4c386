import {
  integerFits,
  isIntegerType,
  isIntegerValue,
  nvsValueLength,
  type NvsValue,
} from '../../../firmware-protocol/at/manufacturing.js';
import { finalResult, mfgReadHeader, okPrompt } from '../../../firmware-protocol/at/module-output.js';
import type { Handler, Handlers } from '../handler-types.js';
import { valueTooLong, type ManufacturingNvs } from '../manufacturing-nvs.js';
import type { ModuleCore } from '../module-core.js';
import { manufacturingNvs } from '../pki-store.js';

/**
 * AT+SYSMFG (Basic_AT_Commands.rst v4.1.1.0): the manufacturing NVS's namespaces and key-value
 * pairs. Where the docs are silent the answers follow ESP-IDF's NVS: reading a namespace or key
 * that does not exist fails (ESP_ERR_NVS_NOT_FOUND), erasing a key that does not exist fails,
 * erasing a namespace without keys succeeds, a write replaces the old value whatever its type.
 * An integer is read whole (`<offset>`/`<length>` apply to strings and blobs; UNSURE).
 */

function nvsOf(core: ModuleCore): ManufacturingNvs {
  const nvs = manufacturingNvs(core);
  // The table gives AT+SYSMFG only to profiles with a manufacturing model.
  if (nvs === null) throw new Error(`${core.profile.id} has AT+SYSMFG but no manufacturing NVS`);
  return nvs;
}

const query: Handler<'SYSMFG', 'query'> = (core, call) => {
  for (const namespace of nvsOf(core).namespaces()) core.reply(call, 'namespace', { namespace });
  core.ok();
};

/** The value's bytes from `offset` for `length` (whole without them); null when out of range. */
function slice(value: Uint8Array, offset: number | undefined, length: number | undefined): Uint8Array | null {
  if (offset === undefined && length === undefined) return value;
  if (offset === undefined || length === undefined || offset + length > value.length) return null;
  return value.subarray(offset, offset + length);
}

const set: Handler<'SYSMFG', 'set'> = (core, call) => {
  const nvs = nvsOf(core);
  const { operation, namespace, key, offset, length, type, value } = call.params;
  if (operation === 0) {
    if (namespace === undefined) return core.error('param-number');
    if (key === undefined) {
      nvs.erase(namespace);
      return core.ok();
    }
    return nvs.erase(namespace, key) ? core.ok() : core.error('exec-failed');
  }
  if (operation === 1) {
    if (namespace === undefined) {
      if (key !== undefined || offset !== undefined || length !== undefined) return core.error('param-number');
      for (const name of nvs.namespaces()) core.reply(call, 'namespace', { namespace: name });
      return core.ok();
    }
    const keys = nvs.keys(namespace);
    if (keys === undefined) return core.error('exec-failed');
    if (key === undefined) {
      if (offset !== undefined || length !== undefined) return core.error('param-number');
      for (const [name, stored] of keys) core.reply(call, 'key', { namespace, key: name, type: stored.type });
      return core.ok();
    }
    const stored = nvs.get(namespace, key);
    if (stored === undefined) return core.error('exec-failed');
    if (isIntegerValue(stored)) {
      core.reply(call, 'value', { namespace, key, type: stored.type, length: nvsValueLength(stored), value: stored.value });
      return core.ok();
    }
    const bytes = slice(stored.bytes, offset, length);
    if (bytes === null) return core.error('param-invalid');
    core.write(mfgReadHeader({ namespace, key, type: stored.type, length: bytes.length }));
    core.write(bytes);
    return core.ok();
  }
  if (namespace === undefined || key === undefined || type === undefined || value === undefined) return core.error('param-number');
  if (isIntegerType(type)) {
    if (!integerFits(type, value)) return core.error('param-invalid');
    return nvs.set(namespace, key, { type, value }) ? core.ok() : core.error('exec-failed');
  }
  const bytesType = type === 7 ? 7 : 8;
  if (value < 1 || valueTooLong(nvs.model, bytesType, value)) return core.error('param-invalid');
  core.write(okPrompt(core.profile));
  core.expectData(value, false, (bytes) => {
    const written: NvsValue = { type: bytesType, bytes: Uint8Array.from(bytes) };
    core.write(finalResult(nvs.set(namespace, key, written) ? 'OK' : 'ERROR'));
  });
};

export const BASIC_MFG_HANDLERS = {
  SYSMFG: { query, set },
} satisfies Handlers;
