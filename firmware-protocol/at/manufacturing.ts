/**
 * The manufacturing NVS of ESP-AT 3.x and later (`mfg_nvs`, an ESP-IDF NVS partition): namespaces
 * of typed key-value pairs that hold the module's factory parameters and the certificates, keys
 * and CAs its clients use. AT+SYSMFG reads and writes it (Basic_AT_Commands.rst v4.1.1.0). Where a
 * profile has no `manufacturing` model (ESP-AT 2.x, NonOS), PKI lives in raw partitions
 * (AT+SYSFLASH) instead.
 *
 * Sources: the AT+SYSMFG docs (types 1..8), components/customized_partitions (which namespaces a
 * build has, and generation_tools/mfg_nvs.py: a namespace made from one file has the key
 * `<namespace>`, one made from several has `<namespace>.0`, `<namespace>.1`, ...), the core
 * library's `%s.%d` (at_custom_partitions.c.obj) for the key of entry N, ESP-IDF's NVS limits.
 */

/** `<type>` of AT+SYSMFG. */
export const NVS_TYPES = { u8: 1, i8: 2, u16: 3, i16: 4, u32: 5, i32: 6, string: 7, binary: 8 } as const;
export type NvsTypeCode = (typeof NVS_TYPES)[keyof typeof NVS_TYPES];
export type NvsIntegerType = 1 | 2 | 3 | 4 | 5 | 6;
export type NvsBytesType = 7 | 8;

/** Width and range of each integer type. */
export const NVS_INTEGERS: { readonly [T in NvsIntegerType]: { readonly bytes: number; readonly min: number; readonly max: number } } = {
  1: { bytes: 1, min: 0, max: 0xff },
  2: { bytes: 1, min: -0x80, max: 0x7f },
  3: { bytes: 2, min: 0, max: 0xffff },
  4: { bytes: 2, min: -0x8000, max: 0x7fff },
  5: { bytes: 4, min: 0, max: 0xffffffff },
  6: { bytes: 4, min: -0x80000000, max: 0x7fffffff },
};

export type NvsValue =
  | { readonly type: NvsIntegerType; readonly value: number }
  | { readonly type: NvsBytesType; readonly bytes: Uint8Array };

/** NVS_KEY_NAME_MAX_SIZE is 16 with the terminating NUL: namespaces and keys have at most 15 bytes. */
export const NVS_NAME_MAX_LENGTH = 15;
/** ESP-IDF: "String values are currently limited to 4000 bytes. This includes the null terminator." */
export const NVS_STRING_MAX_BYTES = 3999;
/** ESP-IDF: a blob is limited to 508,000 bytes or 97.6 % of the partition size minus 4000 bytes. */
export function nvsBlobMaxBytes(partitionBytes: number): number {
  return Math.min(508_000, Math.floor(partitionBytes * 0.976) - 4000);
}

export function isIntegerType(type: number): type is NvsIntegerType {
  return type >= 1 && type <= 6;
}

/** Whether `value` is a value of integer type `type`. */
export function integerFits(type: NvsIntegerType, value: number): boolean {
  const { min, max } = NVS_INTEGERS[type];
  return Number.isInteger(value) && value >= min && value <= max;
}

export type NvsIntegerValue = Extract<NvsValue, { readonly value: number }>;

export function isIntegerValue(value: NvsValue): value is NvsIntegerValue {
  return 'value' in value;
}

/** The length AT+SYSMFG reports for a value: an integer's width, a string's or blob's bytes. */
export function nvsValueLength(value: NvsValue): number {
  return isIntegerValue(value) ? NVS_INTEGERS[value.type].bytes : value.bytes.length;
}

/** One namespace's factory content. */
export interface NvsNamespace {
  readonly namespace: string;
  readonly entries: readonly { readonly key: string; readonly value: NvsValue }[];
}

/** A profile's manufacturing NVS: where it is and what the factory flashed into it besides PKI. */
export interface ManufacturingModel {
  /** The NVS partition's name in the user partition table. */
  readonly partition: string;
  readonly partitionBytes: number;
  /** Namespaces flashed at the factory other than the PKI ones (factory_param, from factory_param_data.csv). */
  readonly factory: readonly NvsNamespace[];
}

/** Whose certificates: the SSL client (CIPSTART "SSL"), the MQTT client, the enterprise join, the SSL server. */
export type PkiUser = 'ssl' | 'mqtt' | 'eap' | 'server' | 'https';
export type PkiPart = 'ca' | 'cert' | 'key';

/** The namespaces each client reads (raw_data's folders; the 2.x partitions have the same names). */
export const PKI_NAMESPACES: { readonly [U in PkiUser]: { readonly [P in PkiPart]: string } } = {
  ssl: { ca: 'client_ca', cert: 'client_cert', key: 'client_key' },
  mqtt: { ca: 'mqtt_ca', cert: 'mqtt_cert', key: 'mqtt_key' },
  eap: { ca: 'wpa2_ca', cert: 'wpa2_cert', key: 'wpa2_key' },
  server: { ca: 'server_ca', cert: 'server_cert', key: 'server_key' },
  // The HTTP client's (AT+HTTPCFG): at_get_pki_count(6, …), the sixth group of the 4.1 core
  // library's s_at_pki_partition_name (client, server, wpa2, mqtt, wss, https; ca, cert, key).
  https: { ca: 'https_ca', cert: 'https_cert', key: 'https_key' },
};

/**
 * The keys entry `index` of a PKI namespace may have, most specific first: `<namespace>.<index>`,
 * and for entry 0 also the bare `<namespace>` a one-file namespace gets from mfg_nvs.py (which of
 * the two the closed core library tries first is not visible; copro takes the numbered one).
 */
export function pkiKeys(namespace: string, index: number): readonly string[] {
  return index === 0 ? [`${namespace}.0`, namespace] : [`${namespace}.${index}`];
}

/** mfg_nvs.py's naming of a namespace made from `count` files. */
export function factoryPkiKey(namespace: string, index: number, count: number): string {
  return count === 1 ? namespace : `${namespace}.${index}`;
}
