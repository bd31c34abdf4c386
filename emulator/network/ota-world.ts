import type { FieldReader } from './config-fields.js';

/**
 * Where the firmware's OTA servers are in this world (AT+CIUPDATE). The firmware is built with a
 * server name and port (ESP-AT 2.4: iot.espressif.cn, 80 for HTTP and 443 for HTTPS); a world that
 * names `server` / `sslServer` (`"127.0.0.1:8070"`) sends those connections there instead, to a test's
 * or a user's own server. Absent: the built-in name is resolved as any other.
 */
export interface OtaWorld {
  readonly server?: OtaEndpoint;
  readonly sslServer?: OtaEndpoint;
}

export interface OtaEndpoint {
  readonly host: string;
  readonly port: number;
}

/** The world file's `ota` section: `{ "server": "127.0.0.1:8070", "sslServer": "127.0.0.1:8443" }`. */
export function readOtaWorld(read: FieldReader, value: unknown): OtaWorld {
  const section = read.object(value, 'ota');
  read.onlyKeys(section, ['server', 'sslServer'], 'ota');
  return Object.freeze({
    ...(section.server === undefined ? {} : { server: read.hostPort(section.server, 'ota.server') }),
    ...(section.sslServer === undefined ? {} : { sslServer: read.hostPort(section.sslServer, 'ota.sslServer') }),
  });
}
