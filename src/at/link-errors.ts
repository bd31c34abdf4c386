/**
 * What a failed CIPSTART or CIPDOMAIN means for the application. ESP-AT 2.x says only ERROR;
 * NonOS 1.7 adds a word (`no ip`, `DNS Fail`); the station state tells the rest.
 */
import type { LinkSpec } from '../backend.js';
import { osError } from '../errors.js';
import type { OSError } from '../errors.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { AtReply } from './at-client.js';
import { saysNoIp } from './replies.js';

export function startError(profile: FirmwareProfile, reply: AtReply, spec: LinkSpec, stationConnected: boolean): OSError {
  const where = spec.remote ? `${spec.remote.ip}:${spec.remote.port}` : 'the network';
  if (saysNoIp(profile, reply) || !stationConnected) {
    return osError('EHOSTUNREACH', `cannot reach ${where}: the module has no IP address (join a WiFi network first)`);
  }
  if (spec.kind === 'udp') return osError('EADDRINUSE', `the module could not open a UDP link (AT+CIPSTART answered ${reply.result})`);
  return osError('ECONNREFUSED', `the module could not connect to ${where} (AT+CIPSTART answered ${reply.result})`);
}

/**
 * A failed CIPSTART "SSL". ESP-AT 2.x answers ERROR alone whether the TCP connection or the handshake
 * failed, and says nothing about why: the message says what it can (MicroPython on an ESP32 would
 * raise a negative mbedTLS code naming the cause; the module never tells us which, so every TLS
 * failure is ECONNABORTED, one number, with the settings that were used). NonOS 1.7 tells the two
 * apart: ERROR is the TCP connection (the caller reports it as startError()), `<id>,CLOSED` then OK
 * the handshake (`handshake` true).
 */
export function tlsStartError(
  profile: FirmwareProfile,
  reply: AtReply,
  spec: LinkSpec,
  stationConnected: boolean,
  handshake: boolean,
  settings: string,
): OSError {
  const where = spec.remote ? `${spec.remote.ip}:${spec.remote.port}` : 'the network';
  if (handshake) {
    return osError('ECONNABORTED', `TLS handshake with ${where} failed (certificate not trusted, or the server refused us) [${settings}]`);
  }
  if (saysNoIp(profile, reply) || !stationConnected) return startError(profile, reply, spec, stationConnected);
  return osError(
    'ECONNABORTED',
    `TLS connect to ${where} failed: TLS handshake failed (certificate not trusted, name mismatch, or the server refused us), ` +
      `or no TCP connection could be made — the module answers only ${reply.result} [${settings}]`,
  );
}

/** getaddrinfo() failures live in their own negative namespace. */
export function resolveError(reply: AtReply, host: string, stationConnected: boolean): OSError {
  if (reply.result === 'OK') return osError('EAI_FAIL', `unexpected answer resolving ${host}`);
  if (!stationConnected) return osError('EAI_FAIL', `cannot resolve ${host}: not connected to a WiFi network`);
  return osError('EAI_NONAME', `${host} does not resolve`);
}
