import type { ModuleCore } from './module-core.js';

/**
 * What the Basic system commands keep in RAM (lost at every boot): the sleep mode and light-sleep
 * wakeup source, the radio's transmit power, the registers AT+SYSREG wrote, and whether the FAT
 * partition is mounted.
 */
export interface SystemState {
  /** AT+SLEEP: the profile's mode after boot (defaults.sleepMode). */
  sleepMode: number;
  /** AT+SLEEPWKCFG: timer (ms) or GPIO (number, level); null until set. */
  wakeup: { readonly source: number; readonly param1: number; readonly param2: number | undefined } | null;
  /** AT+RFPOWER: the Wi-Fi level the driver reports, and the three BLE levels. */
  wifiPower: number;
  blePower: readonly [adv: number, scan: number, conn: number];
  /** AT+SYSREG writes, by address (a register never written reads 0). */
  readonly registers: Map<number, number>;
  /** at_fs.c's s_fs_mounted: false at boot; AT+FS mounts, AT+FSMOUNT mounts and unmounts. */
  fsMounted: boolean;
}

const STATES = new WeakMap<ModuleCore, { readonly epoch: number; readonly state: SystemState }>();

export function systemState(core: ModuleCore): SystemState {
  const kept = STATES.get(core);
  if (kept !== undefined && kept.epoch === core.epoch) return kept.state;
  const { wifiDefault, bleDefault } = core.profile.radio;
  const state: SystemState = {
    sleepMode: core.profile.defaults.sleepMode,
    wakeup: null,
    wifiPower: wifiDefault,
    blePower: [bleDefault, bleDefault, bleDefault],
    registers: new Map(),
    fsMounted: false,
  };
  STATES.set(core, { epoch: core.epoch, state });
  return state;
}

/** The Wi-Fi level the driver reports for a set value (the profile's steps; none: the value itself). */
export function reportedWifiPower(steps: readonly (readonly [number, number])[], value: number): number {
  let reported = value;
  for (const [from, level] of steps) if (value >= from) reported = level;
  return reported;
}
