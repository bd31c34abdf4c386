import type { CommandDecl } from '../command-spec.js';
import { any, int, oneOf, opt, port, REMOTE_HOST } from './spec-builders.js';

/**
 * AT+SAVETRANSLINK (TCP-IP_AT_Commands.rst v2.4.2.0): passthrough to a saved remote from power-up.
 * Two documented forms: TCP/SSL with `<keep_alive>`, UDP with `<local port>`. Saved in NVS whatever
 * AT+SYSSTORE says ("the configuration will be saved in flash"); it takes effect at the next boot.
 */
export const TCPIP_TRANSLINK_COMMANDS = {
  SAVETRANSLINK: {
    area: 'tcpip',
    forms: ['set'],
    set: [
      any(int('mode', 0, 1), REMOTE_HOST, port('remote_port'), opt(oneOf('type', ['TCP', 'TCPv6', 'SSL', 'SSLv6'])), opt(int('keep_alive', 0, 7200))),
      any(int('mode', 0, 1), REMOTE_HOST, port('remote_port'), oneOf('type', ['UDP', 'UDPv6']), opt(port('local_port'))),
    ],
    summary: 'Passthrough to a saved remote from power-up (1) or not (0)',
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;
