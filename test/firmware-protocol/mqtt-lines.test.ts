import { describe, expect, it } from 'vitest';
import {
  ESP32_AT_2X,
  classifyLine,
  errCodeOf,
  formatReply,
  formatRequest,
  formatUrc,
  mqttSubRecv,
  readReply,
} from '../../firmware-protocol/index.js';
import { MQTT_SCHEMES } from '../../firmware-protocol/at/commands/mqtt.js';
import { findCommand } from '../../firmware-protocol/at/command-table.js';
import { bytes, chunked, parseHost } from './helpers.js';

/**
 * The MQTT lines pinned byte for byte, both ways: the 2.4 core library's formats
 * (`+MQTTCONNECTED:%d,%d,"%.*s","%.*s","%.*s",%d`, `+MQTTSUBRECV:%d,"%.*s",%d,`, `%s:%d,%d,"%s",%d`...).
 */

const text = (data: Uint8Array): string => Buffer.from(data).toString('latin1');

describe('MQTT lines', () => {
  it('formats and reads +MQTTCONNECTED / +MQTTDISCONNECTED', () => {
    const urc = { kind: 'mqtt-connected', link: 0, scheme: 7, host: 'test.mosquitto.org', port: '8081', path: '/', reconnect: 1 } as const;
    expect(text(formatUrc(urc))).toBe('+MQTTCONNECTED:0,7,"test.mosquitto.org","8081","/",1\r\n');
    expect(classifyLine('+MQTTCONNECTED:0,7,"test.mosquitto.org","8081","/",1')).toEqual({ type: 'urc', urc });
    expect(text(formatUrc({ kind: 'mqtt-disconnected', link: 0 }))).toBe('+MQTTDISCONNECTED:0\r\n');
    expect(classifyLine('+MQTTDISCONNECTED:0')).toEqual({ type: 'urc', urc: { kind: 'mqtt-disconnected', link: 0 } });
  });

  it('+MQTTSUBRECV carries raw bytes by count, whatever they hold, however they are chunked', () => {
    const payload = bytes('a\r\n+MQTTDISCONNECTED:0\r\n"x",3,');
    const wire = Buffer.concat([mqttSubRecv(ESP32_AT_2X, 0, 'a/"b",c', payload), bytes('+MQTTDISCONNECTED:0\r\n')]);
    expect(text(wire)).toBe('+MQTTSUBRECV:0,"a/"b",c",30,a\r\n+MQTTDISCONNECTED:0\r\n"x",3,\r\n+MQTTDISCONNECTED:0\r\n');
    const expected = [
      { type: 'mqtt-recv', link: 0, topic: 'a/"b",c', data: new Uint8Array(payload) },
      { type: 'urc', urc: { kind: 'mqtt-disconnected', link: 0 } },
    ];
    expect(parseHost([wire])).toEqual(expected);
    expect(parseHost(chunked(wire, [...wire.keys()]))).toEqual(expected);
  });

  it('formats the commands from the table, escaping strings', () => {
    const request = (line: Uint8Array) => text(line);
    expect(
      request(
        formatRequest(ESP32_AT_2X, 'MQTTUSERCFG', 'set', {
          link_id: 0,
          scheme: 1,
          client_id: 'publisher',
          username: 'espressif',
          password: '123456789',
          cert_key_ID: 0,
          CA_ID: 0,
          path: '',
        }),
      ),
    ).toBe('AT+MQTTUSERCFG=0,1,"publisher","espressif","123456789",0,0,""\r\n');
    expect(request(formatRequest(ESP32_AT_2X, 'MQTTPUB', 'set', { link_id: 0, topic: 'topic', data: '{"a":1,"b":2}', qos: 1, retain: 0 }))).toBe(
      'AT+MQTTPUB=0,"topic","{\\"a\\":1\\,\\"b\\":2}",1,0\r\n',
    );
    expect(request(formatRequest(ESP32_AT_2X, 'MQTTCONNCFG', 'set', { link_id: 0, keepalive: 0, disable_clean_session: 0, lwt_topic: 'lwtt', lwt_msg: 'lwtm', lwt_qos: 0, lwt_retain: 0 }))).toBe(
      'AT+MQTTCONNCFG=0,0,0,"lwtt","lwtm",0,0\r\n',
    );
  });

  it('prints and reads the MQTTCONN? and MQTTSUB? lines', () => {
    const connection = { link_id: 0, state: 4, scheme: 1, host: '192.168.3.102', port: '8883', path: '', reconnect: 1 };
    const line = formatReply(ESP32_AT_2X, 'MQTTCONN', 'connection', connection);
    expect(line).toBe('+MQTTCONN:0,4,1,"192.168.3.102","8883","",1\r\n');
    expect(readReply(ESP32_AT_2X, 'MQTTCONN', { infos: [{ name: 'MQTTCONN', text: line.slice(10, -2) }], lines: [] }).connection).toEqual([connection]);
    expect(formatReply(ESP32_AT_2X, 'MQTTSUB', 'subscription', { link_id: 0, state: 6, topic: 'topic', qos: 1 })).toBe('+MQTTSUB:0,6,"topic",1\r\n');
    expect(formatReply(ESP32_AT_2X, 'MQTTPUBRAW', 'result', { result: 'FAIL' })).toBe('+MQTTPUB:FAIL\r\n');
    expect(readReply(ESP32_AT_2X, 'MQTTPUBRAW', { infos: [{ name: 'MQTTPUB', text: 'OK' }], lines: [] }).result).toEqual({ result: 'OK' });
  });

  it('prints MQTT error codes whole, and the table carries each parameter codes', () => {
    expect(text(errCodeOf(0x6011))).toBe('ERR CODE:0x00006011\r\n');
    expect(findCommand('MQTTPUB', ESP32_AT_2X)?.codes?.params.topic).toEqual({ read: 0x6041, empty: 0x6042, wrong: 0x6043 });
    expect(findCommand('MQTTCONN', 'esp8266-at-1.7')).toBeUndefined();
    expect(Object.keys(MQTT_SCHEMES)).toHaveLength(10);
  });
});
