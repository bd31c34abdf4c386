import type { ModuleCore } from './module-core.js';

/**
 * The module's MAC addresses. The radio world's station MAC is the chip's base MAC; as on the
 * ESP32 (esp_read_mac), the softAP's is the base + 1 in the last byte. AT+CIPSTAMAC/AT+CIPAPMAC
 * replace either.
 */

export function macPlus(mac: string, add: number): string {
  const bytes = mac.split(':').map((part) => parseInt(part, 16));
  bytes[5] = (bytes[5] + add) & 0xff;
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/**
 * The host name after boot: the profile's, with `{mac3}` standing for the station MAC's last three bytes
 * in upper-case hex (NonOS's wifi_station_set_default_hostname: `ESP-%02X%02X%02X` of mac[3..5]).
 */
export function bootHostname(template: string, mac: string): string {
  const tail = mac.split(':').slice(3).join('').toUpperCase();
  return template.replace('{mac3}', tail);
}

export function stationMac(core: ModuleCore): string {
  return core.stack.station.info().mac;
}

/** The softAP's own MAC: the chip's base + 1. */
export function baseSoftApMac(core: ModuleCore): string {
  return macPlus(core.world.station.mac, 1);
}

export function softApMac(core: ModuleCore): string {
  return core.settings.current.softApMac ?? baseSoftApMac(core);
}

/**
 * Whether `text` is a MAC the firmware accepts: `xx:xx:xx:xx:xx:xx`, not multicast (bit 0 of the
 * first byte clear), not all zeros or all ones. Lower case, as it is reported.
 */
export function acceptableMac(text: string): string | null {
  if (!/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(text)) return null;
  const lower = text.toLowerCase();
  const bytes = lower.split(':').map((part) => parseInt(part, 16));
  if ((bytes[0] & 1) !== 0) return null;
  if (bytes.every((byte) => byte === 0) || bytes.every((byte) => byte === 0xff)) return null;
  return lower;
}
