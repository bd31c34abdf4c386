import { MQTT_ERRORS } from '../../../firmware-protocol/at/commands/mqtt.js';
import type { Handler, Handlers } from '../handler-types.js';
import { linkOf } from '../mqtt-client.js';

/**
 * AT+MQTTCONN (connect; query), AT+MQTTCLEAN. A connect answers `+MQTTCONNECTED:...` then OK once
 * the broker's CONNACK accepted it; a connect that fails (no route, TLS, refused credentials, no
 * answer within the profile's MQTT connect timeout) answers `+MQTTDISCONNECTED:0` then ERROR, as
 * esp-mqtt reports a failed connect as a disconnection.
 */

const connect: Handler<'MQTTCONN', 'set'> = async (core, call) => {
  const link = linkOf(core);
  if (link.config === null) return core.errorCode(MQTT_ERRORS.NO_CONFIGURED);
  if (link.phase === 'connected' || link.phase === 'connecting') return core.errorCode(MQTT_ERRORS.ALREADY_CONNECTED);
  const { host, port, reconnect } = call.params;
  if (host === '') return core.errorCode(MQTT_ERRORS.HOST_IS_NULL);
  const tls = link.tlsSettings(host);
  if (tls !== null && 'missing' in tls) {
    core.tracer.note('MQTT: the scheme needs a certificate store entry that is missing (world config "tls")');
    return core.errorCode(tls.missing);
  }
  link.cancelReconnect();
  const epoch = core.epoch;
  try {
    await link.connect({ host, port, reconnect: reconnect === 1 }, tls);
  } catch (error) {
    if (!core.isCurrent(epoch)) return;
    core.tracer.note(`MQTT connect to ${host}:${port} failed: ${(error as Error).message}`);
    link.announceDisconnected();
    return core.errorCode(MQTT_ERRORS.IN_DISCONNECTED_STATE);
  }
  if (core.isCurrent(epoch)) core.ok();
};

const query: Handler<'MQTTCONN', 'query'> = (core, call) => {
  const link = linkOf(core);
  const { config, target } = link;
  const connection =
    config === null || target === null
      ? { link_id: 0, state: link.state, scheme: config?.scheme ?? 0, host: '', port: '', path: '', reconnect: 0 }
      : {
          link_id: 0,
          state: link.state,
          scheme: config.scheme,
          host: target.host,
          port: String(target.port),
          path: link.uriPath,
          reconnect: target.reconnect ? 1 : 0,
        };
  core.reply(call, 'connection', connection);
  core.ok();
};

const clean: Handler<'MQTTCLEAN', 'set'> = async (core) => {
  const link = linkOf(core);
  if (link.config === null) return core.errorCode(MQTT_ERRORS.UNINITIATED_OR_ALREADY_CLEAN);
  const epoch = core.epoch;
  await link.clean();
  if (core.isCurrent(epoch)) core.ok();
};

export const MQTT_CONNECT_HANDLERS = {
  MQTTCONN: { set: connect, query },
  MQTTCLEAN: { set: clean },
} satisfies Handlers;
