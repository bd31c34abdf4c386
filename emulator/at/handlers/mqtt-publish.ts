import { MQTT_ERRORS } from '../../../firmware-protocol/at/commands/mqtt.js';
import { okPrompt, recvBytes } from '../../../firmware-protocol/at/module-output.js';
import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import { linkOf, type MqttLink } from '../mqtt-client.js';
import type { MqttSession } from '../../mqtt/mqtt-session.js';

/**
 * AT+MQTTPUB, AT+MQTTPUBRAW, AT+MQTTSUB (subscribe; list), AT+MQTTUNSUB. Each waits for the broker
 * (PUBACK/PUBCOMP, SUBACK, UNSUBACK) at most the profile's MQTT command timeout ("AT MQTT commands
 * respond within 10 s"), on the module's clock.
 */

type Qos = 0 | 1 | 2;

/** The session to use, or null after answering why there is none. */
function session(core: ModuleCore, link: MqttLink): MqttSession | null {
  if (link.config === null) {
    core.errorCode(MQTT_ERRORS.NULL_LINK);
    return null;
  }
  if (link.phase !== 'connected' || link.session === null || !link.session.connected) {
    core.errorCode(MQTT_ERRORS.IN_DISCONNECTED_STATE);
    return null;
  }
  return link.session;
}

/** `work` within the profile's MQTT command timeout (module clock); rejects on the deadline. */
function inTime<T>(core: ModuleCore, link: MqttLink, work: Promise<T>, what: string): Promise<T> {
  const ms = link.behaviour.commandTimeoutMs;
  return new Promise<T>((resolve, reject) => {
    const timer = core.clock.setTimeout(() => reject(new Error(`${what}: no answer from the broker within ${ms} ms`)), ms);
    work.then(
      (value) => {
        core.clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        core.clock.clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const publish: Handler<'MQTTPUB', 'set'> = async (core, call) => {
  const link = linkOf(core);
  const current = session(core, link);
  if (current === null) return;
  const { topic, data, qos, retain } = call.params;
  if (topic === '') return core.errorCode(MQTT_ERRORS.TOPIC_IS_NULL);
  const epoch = core.epoch;
  try {
    await inTime(core, link, current.publish(topic, Buffer.from(data, 'latin1'), qos as Qos, retain === 1), 'MQTTPUB');
  } catch (error) {
    if (!core.isCurrent(epoch)) return;
    core.tracer.note(`MQTT publish failed: ${(error as Error).message}`);
    return core.errorCode(MQTT_ERRORS.CLIENT_PUBLISH_FAILED);
  }
  if (core.isCurrent(epoch)) core.ok();
};

const publishRaw: Handler<'MQTTPUBRAW', 'set'> = (core, call) => {
  const link = linkOf(core);
  const current = session(core, link);
  if (current === null) return;
  const { topic, length, qos, retain } = call.params;
  if (topic === '') return core.errorCode(MQTT_ERRORS.TOPIC_IS_NULL);
  core.write(okPrompt(core.profile));
  core.expectData(length, false, async (bytes) => {
    const epoch = core.epoch;
    core.write(recvBytes(bytes.length));
    let result: 'OK' | 'FAIL' = 'OK';
    try {
      if (!current.connected) throw new Error('the connection to the broker is gone');
      await inTime(core, link, current.publish(topic, bytes, qos as Qos, retain === 1), 'MQTTPUBRAW');
    } catch (error) {
      core.tracer.note(`MQTT publish failed: ${(error as Error).message}`);
      result = 'FAIL';
    }
    if (core.isCurrent(epoch)) core.reply(call, 'result', { result });
  });
};

const subscribe: Handler<'MQTTSUB', 'set'> = async (core, call) => {
  const link = linkOf(core);
  const current = session(core, link);
  if (current === null) return;
  const { topic, qos } = call.params;
  if (topic === '') return core.errorCode(MQTT_ERRORS.TOPIC_IS_NULL);
  if (link.subscriptions.has(topic)) {
    core.reply(call, 'refused', 'ALREADY SUBSCRIBE');
    return core.ok();
  }
  if (link.subscriptions.size >= link.behaviour.maxSubscriptions) {
    core.reply(call, 'refused', 'ALREADY FULL SUBSCRIBE');
    return core.errorCode(MQTT_ERRORS.CLIENT_SUBSCRIBE_FAILED);
  }
  const epoch = core.epoch;
  let granted: number;
  try {
    granted = await inTime(core, link, current.subscribe(topic, qos as Qos), 'MQTTSUB');
  } catch (error) {
    if (!core.isCurrent(epoch)) return;
    core.tracer.note(`MQTT subscribe failed: ${(error as Error).message}`);
    return core.errorCode(MQTT_ERRORS.CLIENT_SUBSCRIBE_FAILED);
  }
  if (!core.isCurrent(epoch)) return;
  if (granted > 2) {
    core.tracer.note(`MQTT: the broker refused the subscription to ${topic}`);
    return core.errorCode(MQTT_ERRORS.CLIENT_SUBSCRIBE_FAILED);
  }
  link.subscriptions.set(topic, qos as Qos);
  core.ok();
};

const listSubscriptions: Handler<'MQTTSUB', 'query'> = (core, call) => {
  const link = linkOf(core);
  const state = link.state;
  if (link.subscriptions.size === 0) core.reply(call, 'subscription', { link_id: 0, state, topic: '', qos: 0 });
  for (const [topic, qos] of link.subscriptions) core.reply(call, 'subscription', { link_id: 0, state, topic, qos });
  core.ok();
};

const unsubscribe: Handler<'MQTTUNSUB', 'set'> = async (core, call) => {
  const link = linkOf(core);
  const current = session(core, link);
  if (current === null) return;
  const { topic } = call.params;
  if (!link.subscriptions.has(topic)) {
    core.reply(call, 'notSubscribed', 'NO UNSUBSCRIBE');
    return core.ok();
  }
  const epoch = core.epoch;
  try {
    await inTime(core, link, current.unsubscribe(topic), 'MQTTUNSUB');
  } catch (error) {
    if (!core.isCurrent(epoch)) return;
    core.tracer.note(`MQTT unsubscribe failed: ${(error as Error).message}`);
    return core.errorCode(MQTT_ERRORS.CLIENT_UNSUBSCRIBE_FAILED);
  }
  if (!core.isCurrent(epoch)) return;
  link.subscriptions.delete(topic);
  link.unsubscribed = true;
  core.ok();
};

export const MQTT_PUBLISH_HANDLERS = {
  MQTTPUB: { set: publish },
  MQTTPUBRAW: { set: publishRaw },
  MQTTSUB: { set: subscribe, query: listSubscriptions },
  MQTTUNSUB: { set: unsubscribe },
} satisfies Handlers;
