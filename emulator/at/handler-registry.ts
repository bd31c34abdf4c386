import { BASIC_HANDLERS } from './handlers/basic.js';
import { BASIC_SYSTEM_HANDLERS } from './handlers/basic-system.js';
import { BASIC_MFG_HANDLERS } from './handlers/basic-mfg.js';
import { MQTT_CONFIG_HANDLERS } from './handlers/mqtt-config.js';
import { MQTT_CONNECT_HANDLERS } from './handlers/mqtt-connect.js';
import { MQTT_PUBLISH_HANDLERS } from './handlers/mqtt-publish.js';
import { FS_HANDLERS } from './handlers/fs.js';
import { HTTP_CONFIG_HANDLERS } from './handlers/http-config.js';
import { OTA_FWVER_HANDLERS } from './handlers/ota-fwver.js';
import { HTTP_REQUEST_HANDLERS } from './handlers/http-request.js';
import { HTTP_UPLOAD_HANDLERS } from './handlers/http-upload.js';
import { TCPIP_CONFIG_HANDLERS } from './handlers/tcpip-config.js';
import { TCPIP_CONNECT_HANDLERS } from './handlers/tcpip-connect.js';
import { TCPIP_DNS_HANDLERS } from './handlers/tcpip-dns.js';
import { TCPIP_LINK_HANDLERS } from './handlers/tcpip-links.js';
import { TCPIP_RECV_TYPE_HANDLERS } from './handlers/tcpip-recv-type.js';
import { TCPIP_PING_HANDLERS } from './handlers/tcpip-ping.js';
import { SNTP_HANDLERS } from './handlers/sntp.js';
import { TCPIP_SENDL_HANDLERS } from './handlers/tcpip-sendl.js';
import { TCPIP_TCPOPT_HANDLERS } from './handlers/tcpip-tcpopt.js';
import { TCPIP_IPV6_HANDLERS } from './handlers/tcpip-ipv6.js';
import { TCPIP_TRANSLINK_HANDLERS } from './handlers/tcpip-translink.js';
import { OTA_HANDLERS } from './handlers/ota.js';
import { TCPIP_SEND_HANDLERS } from './handlers/tcpip-send.js';
import { TCPIP_SERVER_HANDLERS } from './handlers/tcpip-server.js';
import { TCPIP_SSL_HANDLERS } from './handlers/tcpip-ssl.js';
import { TCPIP_SSL_CIPHER_HANDLERS } from './handlers/tcpip-ssl-cipher.js';
import { WIFI_HANDLERS } from './handlers/wifi.js';
import { WIFI_JOIN_HANDLERS } from './handlers/wifi-join.js';
import { WIFI_SCAN_HANDLERS } from './handlers/wifi-scan.js';
import { WIFI_STATION_HANDLERS } from './handlers/wifi-station.js';
import { WIFI_DRIVER_HANDLERS } from './handlers/wifi-driver.js';
import { WIFI_ENTERPRISE_HANDLERS } from './handlers/wifi-enterprise.js';
import { WIFI_WPS_HANDLERS } from './handlers/wifi-wps.js';
import { WIFI_SMARTCONFIG_HANDLERS } from './handlers/wifi-smartconfig.js';
import { WIFI_SOFTAP_HANDLERS } from './handlers/wifi-softap.js';
import { eraseHandlerTypes, type HandlerTable, type Handlers } from './handler-types.js';

/**
 * Every emulated command, by its declaration name (one handler serves NonOS's `_CUR`/`_DEF` names
 * too). Which names and forms a profile has is the table's business; a table entry without a
 * handler here answers ERROR.
 */
export const AT_HANDLERS: HandlerTable = mergeTables([
  BASIC_HANDLERS,
  BASIC_SYSTEM_HANDLERS,
  BASIC_MFG_HANDLERS,
  WIFI_HANDLERS,
  WIFI_JOIN_HANDLERS,
  WIFI_SCAN_HANDLERS,
  WIFI_STATION_HANDLERS,
  WIFI_DRIVER_HANDLERS,
  WIFI_ENTERPRISE_HANDLERS,
  WIFI_WPS_HANDLERS,
  WIFI_SMARTCONFIG_HANDLERS,
  WIFI_SOFTAP_HANDLERS,
  TCPIP_CONFIG_HANDLERS,
  TCPIP_CONNECT_HANDLERS,
  TCPIP_DNS_HANDLERS,
  TCPIP_SEND_HANDLERS,
  TCPIP_RECV_TYPE_HANDLERS,
  TCPIP_LINK_HANDLERS,
  TCPIP_PING_HANDLERS,
  SNTP_HANDLERS,
  TCPIP_SENDL_HANDLERS,
  TCPIP_TCPOPT_HANDLERS,
  TCPIP_IPV6_HANDLERS,
  TCPIP_TRANSLINK_HANDLERS,
  OTA_HANDLERS,
  TCPIP_SERVER_HANDLERS,
  TCPIP_SSL_HANDLERS,
  TCPIP_SSL_CIPHER_HANDLERS,
  MQTT_CONFIG_HANDLERS,
  MQTT_CONNECT_HANDLERS,
  MQTT_PUBLISH_HANDLERS,
  FS_HANDLERS,
  HTTP_REQUEST_HANDLERS,
  HTTP_UPLOAD_HANDLERS,
  HTTP_CONFIG_HANDLERS,
  OTA_FWVER_HANDLERS,
]);

function mergeTables(tables: readonly Handlers[]): HandlerTable {
  const merged: Record<string, HandlerTable[string]> = {};
  for (const table of tables.map(eraseHandlerTypes)) {
    for (const [name, forms] of Object.entries(table)) {
      if (merged[name]) throw new Error(`AT handlers: ${name} registered twice`);
      merged[name] = forms;
    }
  }
  return merged;
}
