import { MQTT_ERRORS } from '../../../firmware-protocol/at/commands/mqtt.js';
import { okPrompt } from '../../../firmware-protocol/at/module-output.js';
import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import { linkOf, type MqttUserConfig } from '../mqtt-client.js';

/**
 * AT+MQTTUSERCFG and the commands that refine its settings (client id, username, password,
 * connection settings, ALPN). Each needs
 * AT+MQTTUSERCFG first (AT_MQTT_NO_CONFIGURED); none may change a connection that is up.
 */

/** The settings to change, or null after answering why not. */
function configured(core: ModuleCore): MqttUserConfig | null {
  const link = linkOf(core);
  if (link.config === null) {
    core.errorCode(MQTT_ERRORS.NO_CONFIGURED);
    return null;
  }
  if (link.phase === 'connected' || link.phase === 'connecting') {
    core.errorCode(MQTT_ERRORS.NOT_IN_CONFIGURED_STATE);
    return null;
  }
  return link.config;
}

const userConfig: Handler<'MQTTUSERCFG', 'set'> = (core, call) => {
  const link = linkOf(core);
  if (link.phase === 'connected' || link.phase === 'connecting') return core.errorCode(MQTT_ERRORS.NOT_IN_CONFIGURED_STATE);
  const { scheme, client_id: clientId, username, password, cert_key_ID: certKeyId, CA_ID: caId, path } = call.params;
  link.config = {
    scheme,
    clientId,
    username,
    password,
    certKeyId,
    caId,
    path,
    keepaliveSec: 0,
    cleanSession: true,
    will: null,
    alpn: link.config?.alpn ?? [],
    connConfigured: false,
    sni: null,
  };
  core.ok();
};

const clientId: Handler<'MQTTCLIENTID', 'set'> = (core, call) => {
  const config = configured(core);
  if (config === null) return;
  config.clientId = call.params.client_id;
  core.ok();
};

/** AT+MQTTLONG…: `OK`, the prompt, `<length>` bytes of text, `OK`. */
function longSetting(field: 'clientId' | 'username' | 'password'): Handler<'MQTTLONGCLIENTID' | 'MQTTLONGUSERNAME' | 'MQTTLONGPASSWORD', 'set'> {
  return (core, call) => {
    const config = configured(core);
    if (config === null) return;
    core.write(okPrompt(core.profile));
    core.expectData(call.params.length, false, (bytes) => {
      config[field] = Buffer.from(bytes).toString('latin1');
      core.ok();
    });
  };
}

const sni: Handler<'MQTTSNI', 'set'> = (core, call) => {
  const config = configured(core);
  if (config === null) return;
  config.sni = call.params.sni;
  core.ok();
};

const username: Handler<'MQTTUSERNAME', 'set'> = (core, call) => {
  const config = configured(core);
  if (config === null) return;
  config.username = call.params.username;
  core.ok();
};

const password: Handler<'MQTTPASSWORD', 'set'> = (core, call) => {
  const config = configured(core);
  if (config === null) return;
  config.password = call.params.password;
  core.ok();
};

const connConfig: Handler<'MQTTCONNCFG', 'set'> = (core, call) => {
  const config = configured(core);
  if (config === null) return;
  const { keepalive, disable_clean_session: disableClean, lwt_topic: topic, lwt_msg: message, lwt_qos: qos, lwt_retain: retain } = call.params;
  config.keepaliveSec = keepalive;
  config.cleanSession = disableClean === 0;
  config.will =
    topic === undefined || topic === ''
      ? null
      : { topic, payload: message ?? '', qos: (qos ?? 0) as 0 | 1 | 2, retain: retain === 1 };
  config.connConfigured = true;
  core.ok();
};

const alpn: Handler<'MQTTALPN', 'set'> = (core, call) => {
  const config = configured(core);
  if (config === null) return;
  const { alpn_counts: count, alpn1, alpn2, alpn3, alpn4, alpn5 } = call.params;
  const given = [alpn1, alpn2, alpn3, alpn4, alpn5].slice(0, count);
  if (given.some((name) => name === undefined || name === '')) return core.errorCode(MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG);
  config.alpn = given as string[];
  core.ok();
};

export const MQTT_CONFIG_HANDLERS = {
  MQTTUSERCFG: { set: userConfig },
  MQTTCLIENTID: { set: clientId },
  MQTTLONGCLIENTID: { set: longSetting('clientId') },
  MQTTLONGUSERNAME: { set: longSetting('username') },
  MQTTLONGPASSWORD: { set: longSetting('password') },
  MQTTSNI: { set: sni },
  MQTTUSERNAME: { set: username },
  MQTTPASSWORD: { set: password },
  MQTTCONNCFG: { set: connConfig },
  MQTTALPN: { set: alpn },
} satisfies Handlers;
