import type { CommandDecl } from '../command-spec.js';
import { BASIC_COMMANDS } from './basic.js';
import { BASIC_SYSTEM_COMMANDS } from './basic-system.js';
import { SOFTAP_COMMANDS } from './softap.js';
import { MQTT_COMMANDS } from './mqtt.js';
import { FS_COMMANDS } from './fs.js';
import { HTTP_COMMANDS } from './http.js';
import { SSL_COMMANDS } from './ssl.js';
import { TCPIP_COMMANDS } from './tcpip.js';
import { SNTP_COMMANDS } from './sntp.js';
import { TCPIP_SENDL_COMMANDS } from './tcpip-sendl.js';
import { TCPIP_TCPOPT_COMMANDS } from './tcpip-tcpopt.js';
import { TCPIP_IPV6_COMMANDS } from './tcpip-ipv6.js';
import { TCPIP_TRANSLINK_COMMANDS } from './tcpip-translink.js';
import { OTA_COMMANDS } from './ota.js';
import { TCPIP_RECV_TYPE_COMMANDS } from './tcpip-recv-type.js';
import { WIFI_COMMANDS } from './wifi.js';
import { WIFI_STATION_COMMANDS } from './wifi-station.js';
import { WIFI_ENTERPRISE_COMMANDS } from './wifi-enterprise.js';
import { WIFI_DRIVER_COMMANDS } from './wifi-driver.js';

export { CONNECTION_TYPES } from './tcpip.js';

/**
 * Every command declaration, by its name (the name without `AT+` that ESP-AT 2.x uses; NonOS
 * names such as `CWMODE_CUR` are aliases a profile gives). Table order is the docs' order.
 */
export const COMMAND_DECLS = {
  ...BASIC_COMMANDS,
  ...BASIC_SYSTEM_COMMANDS,
  ...FS_COMMANDS,
  ...WIFI_DRIVER_COMMANDS,
  ...WIFI_COMMANDS,
  ...WIFI_STATION_COMMANDS,
  ...WIFI_ENTERPRISE_COMMANDS,
  ...SOFTAP_COMMANDS,
  ...TCPIP_COMMANDS,
  ...TCPIP_RECV_TYPE_COMMANDS,
  ...SNTP_COMMANDS,
  ...TCPIP_SENDL_COMMANDS,
  ...TCPIP_TCPOPT_COMMANDS,
  ...TCPIP_IPV6_COMMANDS,
  ...TCPIP_TRANSLINK_COMMANDS,
  ...OTA_COMMANDS,
  ...SSL_COMMANDS,
  ...MQTT_COMMANDS,
  ...HTTP_COMMANDS,
} as const satisfies Readonly<Record<string, CommandDecl>>;

export type CommandDecls = typeof COMMAND_DECLS;
export type CommandName = keyof CommandDecls & string;

export const COMMAND_NAMES = Object.keys(COMMAND_DECLS) as CommandName[];

/** The declaration of `name` (typed for the callers that already hold a CommandName). */
export function commandDecl(name: CommandName): CommandDecl {
  return COMMAND_DECLS[name];
}
