/**
 * TLS cipher suites as the firmware's TLS library lists them: what AT+CIPSSLCCIPHER? prints and
 * which suites AT+CIPSSLCCIPHER=... accepts. Pure data: IANA numbers with mbedTLS's names.
 *
 * ESP-AT v4.1.1.0 on the ESP32-C3 (module_config/module_esp32c3_default) builds with ESP-IDF
 * release/v5.4 at 8ad0d3d8 (its IDF_VERSION file), whose mbedTLS is 3.6.3. The query calls
 * esp_tls_get_ciphersuites_list() = mbedtls_ssl_list_ciphersuites(): the library's
 * ciphersuite_preference order (library/ssl_ciphersuites.c), keeping the suites compiled into
 * ciphersuite_definitions for the build's configuration. That configuration is IDF's esp_config.h
 * with the Kconfig defaults plus the module's sdkconfig.defaults:
 * - key exchanges: RSA, DHE-RSA (CONFIG_MBEDTLS_DHM_C=y), ECDHE-RSA, ECDHE-ECDSA, ECDH-ECDSA,
 *   ECDH-RSA (defaults y); PSK, DHE-PSK, ECDHE-PSK, RSA-PSK (selected by
 *   CONFIG_ESP_TLS_PSK_VERIFICATION=y); no ECJPAKE;
 * - ciphers: AES only (Camellia, DES, ChaCha20-Poly1305 default n; ARIA and NULL not in
 *   esp_config.h), in CBC, GCM, CCM and CCM-8; SHA-1, SHA-256 and SHA-384 MACs;
 * - TLS 1.2 only (CONFIG_MBEDTLS_SSL_PROTO_TLS1_3 default n, and it cannot go with
 *   CONFIG_MBEDTLS_DYNAMIC_BUFFER=y), so no TLS 1.3 suites.
 * The list below is what mbedTLS 3.6.3's ssl_ciphersuites.c gives when compiled with those options
 * (checked by compiling it on a host and calling mbedtls_ssl_list_ciphersuites()).
 * UNSURE: Espressif's mbedTLS fork may differ from upstream 3.6.3 in this file (not seen to), and
 * the shipped binary's sdkconfig was not read, only its defaults; the list was not observed on a
 * module.
 */

export interface CipherSuite {
  /** The IANA number (the `0x%04X` AT+CIPSSLCCIPHER prints and takes). */
  readonly id: number;
  /** mbedTLS's name (mbedtls_ssl_get_ciphersuite_name). */
  readonly name: string;
}

const suite = (id: number, name: string): CipherSuite => ({ id, name });

/** mbedTLS 3.6.3 as ESP-AT v4.1.1.0 (ESP32-C3) configures it, in the library's preference order. */
export const ESP_AT_41_C3_CIPHER_SUITES: readonly CipherSuite[] = [
  suite(0xC02C, 'TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384'),
  suite(0xC030, 'TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384'),
  suite(0x009F, 'TLS-DHE-RSA-WITH-AES-256-GCM-SHA384'),
  suite(0xC0AD, 'TLS-ECDHE-ECDSA-WITH-AES-256-CCM'),
  suite(0xC09F, 'TLS-DHE-RSA-WITH-AES-256-CCM'),
  suite(0xC024, 'TLS-ECDHE-ECDSA-WITH-AES-256-CBC-SHA384'),
  suite(0xC028, 'TLS-ECDHE-RSA-WITH-AES-256-CBC-SHA384'),
  suite(0x006B, 'TLS-DHE-RSA-WITH-AES-256-CBC-SHA256'),
  suite(0xC00A, 'TLS-ECDHE-ECDSA-WITH-AES-256-CBC-SHA'),
  suite(0xC014, 'TLS-ECDHE-RSA-WITH-AES-256-CBC-SHA'),
  suite(0x0039, 'TLS-DHE-RSA-WITH-AES-256-CBC-SHA'),
  suite(0xC0AF, 'TLS-ECDHE-ECDSA-WITH-AES-256-CCM-8'),
  suite(0xC0A3, 'TLS-DHE-RSA-WITH-AES-256-CCM-8'),
  suite(0xC02B, 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256'),
  suite(0xC02F, 'TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256'),
  suite(0x009E, 'TLS-DHE-RSA-WITH-AES-128-GCM-SHA256'),
  suite(0xC0AC, 'TLS-ECDHE-ECDSA-WITH-AES-128-CCM'),
  suite(0xC09E, 'TLS-DHE-RSA-WITH-AES-128-CCM'),
  suite(0xC023, 'TLS-ECDHE-ECDSA-WITH-AES-128-CBC-SHA256'),
  suite(0xC027, 'TLS-ECDHE-RSA-WITH-AES-128-CBC-SHA256'),
  suite(0x0067, 'TLS-DHE-RSA-WITH-AES-128-CBC-SHA256'),
  suite(0xC009, 'TLS-ECDHE-ECDSA-WITH-AES-128-CBC-SHA'),
  suite(0xC013, 'TLS-ECDHE-RSA-WITH-AES-128-CBC-SHA'),
  suite(0x0033, 'TLS-DHE-RSA-WITH-AES-128-CBC-SHA'),
  suite(0xC0AE, 'TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8'),
  suite(0xC0A2, 'TLS-DHE-RSA-WITH-AES-128-CCM-8'),
  suite(0x00AB, 'TLS-DHE-PSK-WITH-AES-256-GCM-SHA384'),
  suite(0xC0A7, 'TLS-DHE-PSK-WITH-AES-256-CCM'),
  suite(0xC038, 'TLS-ECDHE-PSK-WITH-AES-256-CBC-SHA384'),
  suite(0x00B3, 'TLS-DHE-PSK-WITH-AES-256-CBC-SHA384'),
  suite(0xC036, 'TLS-ECDHE-PSK-WITH-AES-256-CBC-SHA'),
  suite(0x0091, 'TLS-DHE-PSK-WITH-AES-256-CBC-SHA'),
  suite(0xC0AB, 'TLS-DHE-PSK-WITH-AES-256-CCM-8'),
  suite(0x00AA, 'TLS-DHE-PSK-WITH-AES-128-GCM-SHA256'),
  suite(0xC0A6, 'TLS-DHE-PSK-WITH-AES-128-CCM'),
  suite(0xC037, 'TLS-ECDHE-PSK-WITH-AES-128-CBC-SHA256'),
  suite(0x00B2, 'TLS-DHE-PSK-WITH-AES-128-CBC-SHA256'),
  suite(0xC035, 'TLS-ECDHE-PSK-WITH-AES-128-CBC-SHA'),
  suite(0x0090, 'TLS-DHE-PSK-WITH-AES-128-CBC-SHA'),
  suite(0xC0AA, 'TLS-DHE-PSK-WITH-AES-128-CCM-8'),
  suite(0x009D, 'TLS-RSA-WITH-AES-256-GCM-SHA384'),
  suite(0xC09D, 'TLS-RSA-WITH-AES-256-CCM'),
  suite(0x003D, 'TLS-RSA-WITH-AES-256-CBC-SHA256'),
  suite(0x0035, 'TLS-RSA-WITH-AES-256-CBC-SHA'),
  suite(0xC032, 'TLS-ECDH-RSA-WITH-AES-256-GCM-SHA384'),
  suite(0xC02A, 'TLS-ECDH-RSA-WITH-AES-256-CBC-SHA384'),
  suite(0xC00F, 'TLS-ECDH-RSA-WITH-AES-256-CBC-SHA'),
  suite(0xC02E, 'TLS-ECDH-ECDSA-WITH-AES-256-GCM-SHA384'),
  suite(0xC026, 'TLS-ECDH-ECDSA-WITH-AES-256-CBC-SHA384'),
  suite(0xC005, 'TLS-ECDH-ECDSA-WITH-AES-256-CBC-SHA'),
  suite(0xC0A1, 'TLS-RSA-WITH-AES-256-CCM-8'),
  suite(0x009C, 'TLS-RSA-WITH-AES-128-GCM-SHA256'),
  suite(0xC09C, 'TLS-RSA-WITH-AES-128-CCM'),
  suite(0x003C, 'TLS-RSA-WITH-AES-128-CBC-SHA256'),
  suite(0x002F, 'TLS-RSA-WITH-AES-128-CBC-SHA'),
  suite(0xC031, 'TLS-ECDH-RSA-WITH-AES-128-GCM-SHA256'),
  suite(0xC029, 'TLS-ECDH-RSA-WITH-AES-128-CBC-SHA256'),
  suite(0xC00E, 'TLS-ECDH-RSA-WITH-AES-128-CBC-SHA'),
  suite(0xC02D, 'TLS-ECDH-ECDSA-WITH-AES-128-GCM-SHA256'),
  suite(0xC025, 'TLS-ECDH-ECDSA-WITH-AES-128-CBC-SHA256'),
  suite(0xC004, 'TLS-ECDH-ECDSA-WITH-AES-128-CBC-SHA'),
  suite(0xC0A0, 'TLS-RSA-WITH-AES-128-CCM-8'),
  suite(0x00AD, 'TLS-RSA-PSK-WITH-AES-256-GCM-SHA384'),
  suite(0x00B7, 'TLS-RSA-PSK-WITH-AES-256-CBC-SHA384'),
  suite(0x0095, 'TLS-RSA-PSK-WITH-AES-256-CBC-SHA'),
  suite(0x00AC, 'TLS-RSA-PSK-WITH-AES-128-GCM-SHA256'),
  suite(0x00B6, 'TLS-RSA-PSK-WITH-AES-128-CBC-SHA256'),
  suite(0x0094, 'TLS-RSA-PSK-WITH-AES-128-CBC-SHA'),
  suite(0x00A9, 'TLS-PSK-WITH-AES-256-GCM-SHA384'),
  suite(0xC0A5, 'TLS-PSK-WITH-AES-256-CCM'),
  suite(0x00AF, 'TLS-PSK-WITH-AES-256-CBC-SHA384'),
  suite(0x008D, 'TLS-PSK-WITH-AES-256-CBC-SHA'),
  suite(0xC0A9, 'TLS-PSK-WITH-AES-256-CCM-8'),
  suite(0x00A8, 'TLS-PSK-WITH-AES-128-GCM-SHA256'),
  suite(0xC0A4, 'TLS-PSK-WITH-AES-128-CCM'),
  suite(0x00AE, 'TLS-PSK-WITH-AES-128-CBC-SHA256'),
  suite(0x008C, 'TLS-PSK-WITH-AES-128-CBC-SHA'),
  suite(0xC0A8, 'TLS-PSK-WITH-AES-128-CCM-8'),
];
