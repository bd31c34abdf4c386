import type { CommandDecl } from '../command-spec.js';
import { integer, quoted, word } from '../grammar/fields.js';
import { fixedLine, info } from '../grammar/line-spec.js';
import { SSID_MAX_LENGTH, any, int, opt, paramCodes, str } from './spec-builders.js';

/**
 * AT+CWJEAP: joining a WPA2-Enterprise AP (Wi-Fi_AT_Commands.rst, v2.4.2.0). The handler lives in
 * the closed core library, so the reply layouts follow the docs' response blocks; their quoting is
 * UNSURE (written like AT+CWJAP?'s: strings quoted, numbers bare).
 */

/** `<identity>`, `<username>`, `<password>`: 1..32 bytes each. */
export const EAP_TEXT_MAX = 32;

/** EAP methods by `<method>`: 0 EAP-TLS, 1 EAP-PEAP, 2 EAP-TTLS. */
export const EAP_METHODS = ['tls', 'peap', 'ttls'] as const;

/** `<security>` bits. */
export const EAP_SECURITY = { clientCertificate: 1, serverCertificate: 2 } as const;

/** The docs' WPA2 Enterprise error codes (`ERR CODE:0x<%08x>`), the ones the emulator can meet. */
export const EAP_ERRORS = {
  CONN_FAILED: 0x8003,
  GET_CA_LEN_FAILED: 0x8008,
  GET_CERT_LEN_FAILED: 0x800b,
  GET_KEY_LEN_FAILED: 0x800d,
  ALREADY_CONNECTED: 0x8011,
  GET_SSID_FAILED: 0x8012,
  SSID_NULL: 0x8013,
  SSID_LEN_ERROR: 0x8014,
  GET_METHOD_FAILED: 0x8015,
  CONN_TIMEOUT: 0x8016,
  GET_IDENTITY_FAILED: 0x8017,
  IDENTITY_LEN_ERROR: 0x8018,
  GET_USERNAME_FAILED: 0x8019,
  USERNAME_LEN_ERROR: 0x801a,
  GET_PASSWORD_FAILED: 0x801b,
  PASSWORD_LEN_ERROR: 0x801c,
  GET_SECURITY_FAILED: 0x801d,
  SECURITY_ERROR: 0x801e,
  METHOD_SECURITY_UNMATCHED: 0x801f,
  PARAMETER_COUNTS_ERROR: 0x8020,
  WIFI_MODE_NOT_STA: 0x8022,
  METHOD_ERROR: 0x8024,
} as const;

export const WIFI_ENTERPRISE_COMMANDS = {
  CWJEAP: {
    area: 'wifi',
    forms: ['query', 'set'],
    // `AT+CWJEAP=<ssid>,<method>,<identity>,<username>,<password>,<security>[,<jeap_timeout>]`; EAP-TLS
    // leaves username and password empty (`,,`).
    set: [
      any(
        str('ssid', SSID_MAX_LENGTH),
        int('method', 0, EAP_METHODS.length - 1),
        str('identity', EAP_TEXT_MAX),
        opt(str('username', EAP_TEXT_MAX)),
        opt(str('password', EAP_TEXT_MAX)),
        int('security', 0, 3),
        opt(int('jeap_timeout', 3, 600)),
      ),
    ],
    summary: 'Join a WPA2-Enterprise access point (EAP-TLS, PEAP, TTLS)',
    codes: {
      count: EAP_ERRORS.PARAMETER_COUNTS_ERROR,
      params: {
        ssid: paramCodes(EAP_ERRORS.GET_SSID_FAILED, EAP_ERRORS.SSID_NULL, EAP_ERRORS.SSID_LEN_ERROR),
        method: paramCodes(EAP_ERRORS.GET_METHOD_FAILED, null, EAP_ERRORS.METHOD_ERROR),
        identity: paramCodes(EAP_ERRORS.GET_IDENTITY_FAILED, EAP_ERRORS.IDENTITY_LEN_ERROR, EAP_ERRORS.IDENTITY_LEN_ERROR),
        username: paramCodes(EAP_ERRORS.GET_USERNAME_FAILED, EAP_ERRORS.USERNAME_LEN_ERROR, EAP_ERRORS.USERNAME_LEN_ERROR),
        password: paramCodes(EAP_ERRORS.GET_PASSWORD_FAILED, EAP_ERRORS.PASSWORD_LEN_ERROR, EAP_ERRORS.PASSWORD_LEN_ERROR),
        security: paramCodes(EAP_ERRORS.GET_SECURITY_FAILED, null, EAP_ERRORS.SECURITY_ERROR),
      },
    },
    lines: {
      /** `+CWJEAP:<ssid>,<method>,<identity>,<username>,<password>,<security>` while joined through it. */
      config: info(quoted('ssid'), integer('method'), quoted('identity'), quoted('username'), quoted('password'), integer('security')),
      /** The join did not finish within `<jeap_timeout>`. */
      timeout: fixedLine('+CWJEAP:', word('result', ['Timeout'])),
    },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;
