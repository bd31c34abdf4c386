import type { Handler, Handlers } from '../handler-types.js';
import type { TransLinkSettings } from '../module-settings.js';

/**
 * AT+SAVETRANSLINK (TCP-IP_AT_Commands.rst v2.4.2.0): `<mode>` 1 saves the link passthrough opens
 * from the next power-up on (passthrough-reconnect.ts), 0 forgets it; saved in flash whatever
 * AT+SYSSTORE says. "As long as the remote host and port are valid, the configuration will be saved":
 * an empty host or port 0 is refused.
 */
const set: Handler<'SAVETRANSLINK', 'set'> = (core, call) => {
  const { mode, remote_host: host, remote_port: port, type = 'TCP', keep_alive: keepAlive, local_port: localPort } = call.params;
  if (host === '' || port === 0) return core.error('param-invalid');
  const ipv6 = type.endsWith('v6');
  const base = (ipv6 ? type.slice(0, -2) : type) as TransLinkSettings['type'];
  const link: TransLinkSettings = { type: base, ipv6, host, port, keepAlive: keepAlive ?? 0, localPort: localPort ?? 0 };
  core.settings.set('transLink', mode === 1 ? link : null, 'flash');
  core.tracer.note(mode === 1 ? `passthrough from the next power-up to ${type} ${host}:${port}` : 'no passthrough at power-up');
  core.ok();
};

export const TCPIP_TRANSLINK_HANDLERS = {
  SAVETRANSLINK: { set },
} satisfies Handlers;
