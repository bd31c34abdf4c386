/**
 * The OpenSSL names (node:tls `ciphers`) of the TLS 1.2 suites an emulated firmware's library may
 * offer, by IANA number (`openssl ciphers -V` of OpenSSL 3.0, node 20's). Suites OpenSSL 3 does not
 * implement have no entry and cannot be offered by the emulated module: the static ECDH suites
 * (TLS_ECDH_RSA_* 0xC00E, 0xC00F, 0xC029, 0xC02A, 0xC031, 0xC032; TLS_ECDH_ECDSA_* 0xC004, 0xC005,
 * 0xC025, 0xC026, 0xC02D, 0xC02E), which ESP-AT 4.1's mbedTLS has.
 */
export const OPENSSL_SUITE_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0xC02C, 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  [0xC030, 'ECDHE-RSA-AES256-GCM-SHA384'],
  [0x009F, 'DHE-RSA-AES256-GCM-SHA384'],
  [0xC0AD, 'ECDHE-ECDSA-AES256-CCM'],
  [0xC09F, 'DHE-RSA-AES256-CCM'],
  [0xC024, 'ECDHE-ECDSA-AES256-SHA384'],
  [0xC028, 'ECDHE-RSA-AES256-SHA384'],
  [0x006B, 'DHE-RSA-AES256-SHA256'],
  [0xC00A, 'ECDHE-ECDSA-AES256-SHA'],
  [0xC014, 'ECDHE-RSA-AES256-SHA'],
  [0x0039, 'DHE-RSA-AES256-SHA'],
  [0xC0AF, 'ECDHE-ECDSA-AES256-CCM8'],
  [0xC0A3, 'DHE-RSA-AES256-CCM8'],
  [0xC02B, 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  [0xC02F, 'ECDHE-RSA-AES128-GCM-SHA256'],
  [0x009E, 'DHE-RSA-AES128-GCM-SHA256'],
  [0xC0AC, 'ECDHE-ECDSA-AES128-CCM'],
  [0xC09E, 'DHE-RSA-AES128-CCM'],
  [0xC023, 'ECDHE-ECDSA-AES128-SHA256'],
  [0xC027, 'ECDHE-RSA-AES128-SHA256'],
  [0x0067, 'DHE-RSA-AES128-SHA256'],
  [0xC009, 'ECDHE-ECDSA-AES128-SHA'],
  [0xC013, 'ECDHE-RSA-AES128-SHA'],
  [0x0033, 'DHE-RSA-AES128-SHA'],
  [0xC0AE, 'ECDHE-ECDSA-AES128-CCM8'],
  [0xC0A2, 'DHE-RSA-AES128-CCM8'],
  [0x00AB, 'DHE-PSK-AES256-GCM-SHA384'],
  [0xC0A7, 'DHE-PSK-AES256-CCM'],
  [0xC038, 'ECDHE-PSK-AES256-CBC-SHA384'],
  [0x00B3, 'DHE-PSK-AES256-CBC-SHA384'],
  [0xC036, 'ECDHE-PSK-AES256-CBC-SHA'],
  [0x0091, 'DHE-PSK-AES256-CBC-SHA'],
  [0xC0AB, 'DHE-PSK-AES256-CCM8'],
  [0x00AA, 'DHE-PSK-AES128-GCM-SHA256'],
  [0xC0A6, 'DHE-PSK-AES128-CCM'],
  [0xC037, 'ECDHE-PSK-AES128-CBC-SHA256'],
  [0x00B2, 'DHE-PSK-AES128-CBC-SHA256'],
  [0xC035, 'ECDHE-PSK-AES128-CBC-SHA'],
  [0x0090, 'DHE-PSK-AES128-CBC-SHA'],
  [0xC0AA, 'DHE-PSK-AES128-CCM8'],
  [0x009D, 'AES256-GCM-SHA384'],
  [0xC09D, 'AES256-CCM'],
  [0x003D, 'AES256-SHA256'],
  [0x0035, 'AES256-SHA'],
  [0xC0A1, 'AES256-CCM8'],
  [0x009C, 'AES128-GCM-SHA256'],
  [0xC09C, 'AES128-CCM'],
  [0x003C, 'AES128-SHA256'],
  [0x002F, 'AES128-SHA'],
  [0xC0A0, 'AES128-CCM8'],
  [0x00AD, 'RSA-PSK-AES256-GCM-SHA384'],
  [0x00B7, 'RSA-PSK-AES256-CBC-SHA384'],
  [0x0095, 'RSA-PSK-AES256-CBC-SHA'],
  [0x00AC, 'RSA-PSK-AES128-GCM-SHA256'],
  [0x00B6, 'RSA-PSK-AES128-CBC-SHA256'],
  [0x0094, 'RSA-PSK-AES128-CBC-SHA'],
  [0x00A9, 'PSK-AES256-GCM-SHA384'],
  [0xC0A5, 'PSK-AES256-CCM'],
  [0x00AF, 'PSK-AES256-CBC-SHA384'],
  [0x008D, 'PSK-AES256-CBC-SHA'],
  [0xC0A9, 'PSK-AES256-CCM8'],
  [0x00A8, 'PSK-AES128-GCM-SHA256'],
  [0xC0A4, 'PSK-AES128-CCM'],
  [0x00AE, 'PSK-AES128-CBC-SHA256'],
  [0x008C, 'PSK-AES128-CBC-SHA'],
  [0xC0A8, 'PSK-AES128-CCM8'],
]);

/** `ids` as OpenSSL names, in order, and the ones OpenSSL cannot offer. */
export function opensslSuites(ids: readonly number[]): { readonly names: string[]; readonly missing: number[] } {
  const names: string[] = [];
  const missing: number[] = [];
  for (const id of ids) {
    const name = OPENSSL_SUITE_NAMES.get(id);
    if (name === undefined) missing.push(id);
    else if (!names.includes(name)) names.push(name);
  }
  return { names, missing };
}
