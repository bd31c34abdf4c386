import type { Handler, Handlers } from '../handler-types.js';
import { stopSoftApIpv6 } from '../softap-ipv6.js';
import { startIpv6, stopIpv6 } from '../station-ipv6.js';

/**
 * AT+CIPV6 (TCP-IP_AT_Commands.rst v2.4.2.0): kept as AT+SYSSTORE says. Turned on while the station
 * has its lease, address configuration starts at once; turned off, the IPv6 addresses go (the softAP's
 * too; it gets one only when it starts with IPv6 on: softap-ipv6.ts).
 */
const ipv6Set: Handler<'CIPV6', 'set'> = (core, call) => {
  const enable = call.params.enable === 1;
  core.settings.set('ipv6', enable, call.spec.save);
  if (enable) startIpv6(core);
  else {
    stopIpv6(core);
    stopSoftApIpv6(core);
  }
  core.ok();
};

export const TCPIP_IPV6_HANDLERS = {
  CIPV6: {
    query: (core, call) => {
      core.reply(call, 'enable', { enable: core.settings.current.ipv6 ? 1 : 0 });
      core.ok();
    },
    set: ipv6Set,
  },
} satisfies Handlers;
