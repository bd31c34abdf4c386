import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import { acceptableMac, baseSoftApMac, softApMac, stationMac } from '../module-macs.js';
import { applySoftAp, softApEnabled } from '../soft-ap-state.js';
import { stationEnabled } from '../station-events.js';
import { isReconnecting, startReconnecting, stopReconnecting } from '../wifi-reconnect.js';
import { settingsFor } from './persistence.js';

/**
 * AT+CWRECONNCFG, AT+CWHOSTNAME, AT+CWCOUNTRY, AT+CIPSTAMAC, AT+CIPAPMAC (Wi-Fi_AT_Commands.rst;
 * the checks are the ones the firmware's handlers make before calling ESP-IDF).
 */

const reconnQuery: Handler<'CWRECONNCFG', 'query'> = (core, call) => {
  const { interval, repeat } = settingsFor(core, call).wifiReconnect;
  core.reply(call, 'config', { interval_second: interval, repeat_count: repeat });
  core.ok();
};

/** A new configuration restarts a reconnection under way (or stops it, with interval 0). */
const reconnSet: Handler<'CWRECONNCFG', 'set'> = (core, call) => {
  const wasReconnecting = isReconnecting(core);
  stopReconnecting(core);
  core.settings.set('wifiReconnect', { interval: call.params.interval_second, repeat: call.params.repeat_count }, call.spec.save);
  core.ok();
  if (wasReconnecting) startReconnecting(core);
};

/** esp_netif_get_hostname needs the station interface: ERROR without station mode. */
const hostnameQuery: Handler<'CWHOSTNAME', 'query'> = (core, call) => {
  if (!stationEnabled(core)) return core.error('exec-failed');
  core.reply(call, 'hostname', { hostname: core.settings.volatile.hostname });
  core.ok();
};

const hostnameSet: Handler<'CWHOSTNAME', 'set'> = (core, call) => {
  if (!stationEnabled(core)) return core.error('exec-failed');
  core.settings.volatile.hostname = call.params.hostname;
  core.stack.station.setHostname(call.params.hostname);
  core.ok();
};

const countryQuery: Handler<'CWCOUNTRY', 'query'> = (core, call) => {
  const { policy, code, startChannel, channelCount } = core.settings.volatile.country;
  core.reply(call, 'country', {
    country_policy: policy,
    country_code: code,
    start_channel: startChannel,
    total_channel_count: channelCount,
  });
  core.ok();
};

/** esp_wifi_set_country refuses channels past 14. */
const countrySet: Handler<'CWCOUNTRY', 'set'> = (core, call) => {
  const { country_policy, country_code, start_channel, total_channel_count } = call.params;
  if (start_channel + total_channel_count - 1 > 14) return core.error('param-invalid');
  core.settings.volatile.country = {
    policy: country_policy,
    code: country_code,
    startChannel: start_channel,
    channelCount: total_channel_count,
  };
  core.ok();
};

/** NonOS `_DEF` queries show flash: the stored MAC, else the chip's own. */
const staMacQuery: Handler<'CIPSTAMAC', 'query'> = (core, call) => {
  const mac = call.spec.shows === 'stored' ? (core.settings.stored.stationMac ?? core.world.station.mac) : stationMac(core);
  core.reply(call, 'mac', { mac });
  core.ok();
};

/** esp_wifi_set_mac: the interface must be up, the address unicast and not the other interface's. */
const staMacSet: Handler<'CIPSTAMAC', 'set'> = (core, call) => {
  const mac = acceptableMac(call.params.mac);
  if (mac === null) return core.error('param-invalid');
  if (!stationEnabled(core) || mac === softApMac(core)) return core.error('exec-failed');
  core.settings.set('stationMac', mac, call.spec.save);
  core.stack.station.setMac(mac);
  core.ok();
};

const apMacQuery: Handler<'CIPAPMAC', 'query'> = (core, call) => {
  const mac = call.spec.shows === 'stored' ? (core.settings.stored.softApMac ?? baseSoftApMac(core)) : softApMac(core);
  core.reply(call, 'mac', { mac });
  core.ok();
};

const apMacSet: Handler<'CIPAPMAC', 'set'> = (core, call) => {
  const mac = acceptableMac(call.params.mac);
  if (mac === null) return core.error('param-invalid');
  if (!softApEnabled(core) || mac === stationMac(core)) return core.error('exec-failed');
  core.settings.set('softApMac', mac, call.spec.save);
  applySoftAp(core);
  core.ok();
};

/**
 * AT+MDNS=1 announces `<hostname>.local` to the world's modules (the firmware's mdns_init,
 * mdns_hostname_set, mdns_service_add over `_tcp`); AT+MDNS=0 stops it. A missing or bad hostname,
 * service or port is ERR CODE 0x0107000<n>, n being the parameter's number, as the firmware prints.
 */
const mdnsSet: Handler<'MDNS', 'set'> = (core, call) => {
  const { enable, hostname, service_name, port } = call.params;
  if (enable === 0) {
    core.stack.announceMdns(null);
    return core.ok();
  }
  if (hostname === undefined || hostname === '') return core.error('param-invalid', undefined, 2);
  if (service_name === undefined || service_name === '') return core.error('param-invalid', undefined, 3);
  if (port === undefined || port === 0) return core.error('param-invalid', undefined, 4);
  core.stack.announceMdns({ hostname, service: service_name, port });
  core.tracer.note(`mDNS: ${hostname}.local, ${service_name}._tcp port ${port}`);
  core.ok();
};

export const WIFI_STATION_HANDLERS = {
  MDNS: { set: mdnsSet },
  CWRECONNCFG: { query: reconnQuery, set: reconnSet },
  CWHOSTNAME: { query: hostnameQuery, set: hostnameSet },
  CWCOUNTRY: { query: countryQuery, set: countrySet },
  CIPSTAMAC: { query: staMacQuery, set: staMacSet },
  CIPAPMAC: { query: apMacQuery, set: apMacSet },
} satisfies Handlers;
