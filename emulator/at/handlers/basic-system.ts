import { commandListing } from '../../../firmware-protocol/at/command-listing.js';
import { finalResult, flashReadHeader, okPrompt } from '../../../firmware-protocol/at/module-output.js';
import type { Handler, Handlers } from '../handler-types.js';
import { deepSleep } from '../lifecycle.js';
import { FLASH_SECTOR_SIZE } from '../partition-flash.js';
import { manufacturingNvs } from '../pki-store.js';
import { reportedWifiPower, systemState } from '../system-state.js';

/**
 * Basic system commands (ESP-AT v2.4.2.0 Basic_AT_Commands.rst): the command list, deep and light
 * sleep, the module's time, radio power, registers, user partitions in flash, rollback.
 */

const hex = (value: number): string => `0x${value.toString(16)}`;

const listCommands: Handler<'CMD', 'query'> = (core, call) => {
  for (const row of commandListing(core.profile)) core.reply(call, 'command', row);
  core.ok();
};

/** `<time>`, OK, then the chip sleeps; it boots (`ready`) when the time is up. 0 restarts at once. */
const deepSleepSet: Handler<'GSLP', 'set'> = (core, call) => {
  core.reply(call, 'time', { time: call.params.time });
  core.ok();
  deepSleep(core, call.params.time);
};

/** Modem and light sleep exist in station mode only ("can only be set in station mode"). */
const sleepSet: Handler<'SLEEP', 'set'> = (core, call) => {
  const mode = call.params.sleep_mode;
  if (mode !== 0 && core.settings.current.cwMode !== 1) return core.error('exec-failed');
  systemState(core).sleepMode = mode;
  core.tracer.note(`sleep mode ${mode} (recorded: the virtual radio never sleeps)`);
  core.ok();
};

/** Source 0: timer (param1 ms); 1: reserved; 2: GPIO param1 at level param2. */
const wakeupSet: Handler<'SLEEPWKCFG', 'set'> = (core, call) => {
  const { wakeup_source: source, param1, param2 } = call.params;
  if (source === 1) return core.error('param-invalid');
  if (source === 2 && param2 === undefined) return core.error('param-number');
  if (source === 0 && param2 !== undefined) return core.error('param-number');
  systemState(core).wakeup = { source, param1, param2 };
  core.ok();
};

const radioPowerQuery: Handler<'RFPOWER', 'query'> = (core, call) => {
  const state = systemState(core);
  const [adv, scan, conn] = state.blePower;
  const ble = call.variant === 'esp8266' ? {} : { ble_adv_power: adv, ble_scan_power: scan, ble_conn_power: conn };
  core.reply(call, 'power', { wifi_power: state.wifiPower, ...ble });
  core.ok();
};

/** The Wi-Fi driver keeps a level of its own (the query shows it); the BLE levels are kept as given. */
const radioPowerSet: Handler<'RFPOWER', 'set'> = (core, call) => {
  const state = systemState(core);
  const { wifi_power: wifi, ble_adv_power: adv, ble_scan_power: scan, ble_conn_power: conn } = call.params;
  state.wifiPower = reportedWifiPower(core.profile.radio.wifiSteps, wifi);
  if (adv !== undefined && scan !== undefined && conn !== undefined) state.blePower = [adv, scan, conn];
  core.ok();
};

/**
 * The other OTA partition holds no firmware on a module flashed at the factory (only ota_0 is
 * written), so esp_ota_set_boot_partition refuses it and the command fails.
 */
const rollback: Handler<'SYSROLLBACK', 'exec'> = (core) => {
  core.tracer.note('AT+SYSROLLBACK: the other OTA partition holds no firmware');
  core.error('exec-failed');
};

/** AT checks no address: a register never written reads 0; writes last until the next boot. */
const registerSet: Handler<'SYSREG', 'set'> = (core, call) => {
  const { direct, address, write_value: value } = call.params;
  const registers = systemState(core).registers;
  if (direct === 0) {
    if (value !== undefined) return core.error('param-number');
    core.reply(call, 'value', { value: hex(registers.get(address) ?? 0) });
    return core.ok();
  }
  if (value === undefined) return core.error('param-number');
  registers.set(address, value);
  core.ok();
};

const flashQuery: Handler<'SYSFLASH', 'query'> = (core, call) => {
  for (const partition of core.flash.partitions) {
    const { name, type, subtype, address, size } = partition;
    core.reply(call, 'partition', { partition: name, type, subtype, addr: hex(address), size: hex(size) });
  }
  core.ok();
};

const aligned = (value: number): boolean => value % FLASH_SECTOR_SIZE === 0;

/**
 * 0 erase (the whole partition without offset and length, else 4 KiB-aligned sectors), 1 write
 * (the `>` prompt, then `<length>` raw bytes, then OK), 2 read (`+SYSFLASH:<length>,` and the bytes).
 */
const flashSet: Handler<'SYSFLASH', 'set'> = (core, call) => {
  const { operation, partition: name, offset, length } = call.params;
  const partition = core.flash.find(name);
  if (partition === undefined) return core.error('param-invalid');
  if (offset === undefined || length === undefined) {
    if (operation !== 0 || offset !== undefined || length !== undefined) return core.error('param-number');
    core.flash.erase(partition, 0, partition.size);
    // The manufacturing NVS's pages go with its partition.
    if (partition.name === core.profile.manufacturing?.partition) manufacturingNvs(core)?.eraseAll();
    return core.ok();
  }
  if (!core.flash.fits(partition, offset, length)) return core.error('param-invalid');
  if (operation === 0) {
    if (!aligned(offset) || !aligned(length)) return core.error('param-invalid');
    core.flash.erase(partition, offset, length);
    return core.ok();
  }
  if (operation === 2) {
    core.write(flashReadHeader(length));
    core.write(core.flash.read(partition, offset, length));
    return core.ok();
  }
  core.write(okPrompt(core.profile));
  core.expectData(length, false, (bytes) => {
    core.flash.write(partition, offset, bytes);
    core.write(finalResult('OK'));
  });
};

const timestampQuery: Handler<'SYSTIMESTAMP', 'query'> = (core, call) => {
  core.reply(call, 'time', { timestamp: core.time.nowSeconds() });
  core.ok();
};

const timestampSet: Handler<'SYSTIMESTAMP', 'set'> = (core, call) => {
  core.time.set(call.params.timestamp * 1000);
  core.ok();
};

export const BASIC_SYSTEM_HANDLERS = {
  CMD: { query: listCommands },
  GSLP: { set: deepSleepSet },
  SLEEP: {
    query: (core, call) => {
      core.reply(call, 'mode', { sleep_mode: systemState(core).sleepMode });
      core.ok();
    },
    set: sleepSet,
  },
  SLEEPWKCFG: { set: wakeupSet },
  SYSTIMESTAMP: { query: timestampQuery, set: timestampSet },
  RFPOWER: { query: radioPowerQuery, set: radioPowerSet },
  SYSROLLBACK: { exec: rollback },
  SYSREG: { set: registerSet },
  SYSFLASH: { query: flashQuery, set: flashSet },
} satisfies Handlers;
