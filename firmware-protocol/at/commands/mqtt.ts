import type { CommandDecl, ParamErrorCodes } from '../command-spec.js';
import { integer, quoted, word } from '../grammar/fields.js';
import { fixedLine, infoEach, words } from '../grammar/line-spec.js';
import { any, int, opt, port, str } from './spec-builders.js';

/**
 * The module's MQTT client (MQTT_AT_Commands.rst, v2.4.2.0). Later firmware's MQTTLONGCLIENTID,
 * MQTTLONGUSERNAME, MQTTLONGPASSWORD and MQTTSNI join here with the first profile that has them.
 * Reply and URC formats are the 2.4 core library's printf strings:
 * `%s:%d,%d,%d,"%.*s","%.*s","%.*s",%d` (MQTTCONN?), `%s:%d,%d,"%s",%d` (MQTTSUB?),
 * `+MQTTPUB:OK` / `+MQTTPUB:FAIL`, `ALREADY SUBSCRIBE`, `ALREADY FULL SUBSCRIBE`, `NO UNSUBSCRIBE`.
 *
 * A failed MQTT command prints, with AT+SYSLOG=1, `ERR CODE:0x%08x` of the docs' MQTT error
 * code (the "MQTT AT Error Codes" table) before ERROR; `codes` say which one each bad parameter gets.
 */

/** The docs' MQTT error codes (AT_MQTT_*), by the name the table gives them without its prefix. */
export const MQTT_ERRORS = {
  NO_CONFIGURED: 0x6001,
  NOT_IN_CONFIGURED_STATE: 0x6002,
  UNINITIATED_OR_ALREADY_CLEAN: 0x6003,
  ALREADY_CONNECTED: 0x6004,
  MALLOC_FAILED: 0x6005,
  NULL_LINK: 0x6006,
  NULL_PARAMTER: 0x6007,
  PARAMETER_COUNTS_IS_WRONG: 0x6008,
  TLS_CONFIG_ERROR: 0x6009,
  PARAM_PREPARE_ERROR: 0x600a,
  CLIENT_START_FAILED: 0x600b,
  CLIENT_PUBLISH_FAILED: 0x600c,
  CLIENT_SUBSCRIBE_FAILED: 0x600d,
  CLIENT_UNSUBSCRIBE_FAILED: 0x600e,
  CLIENT_DISCONNECT_FAILED: 0x600f,
  CA_READ_FAILED: 0x6022,
  CERT_READ_FAILED: 0x6024,
  KEY_READ_FAILED: 0x6026,
  HOST_IS_NULL: 0x603b,
  TOPIC_IS_NULL: 0x6042,
  RECV_LENGTH_IS_WRONG: 0x604d,
  URI_PARSE_FAILED: 0x6050,
  IN_DISCONNECTED_STATE: 0x6051,
  HOSTNAME_VERIFY_FAILED: 0x6052,
} as const;

/** A parameter's three codes: could not be read (wrong type), left empty, out of range or too long. */
function codes(read: number, empty: number | null, wrong: number): ParamErrorCodes {
  return { read, empty: empty ?? read, wrong };
}

const LINK = codes(0x6010, null, 0x6011);
const TOPIC = codes(0x6041, MQTT_ERRORS.TOPIC_IS_NULL, 0x6043);
const QOS = codes(0x6047, null, 0x6048);
const RETAIN = codes(0x6049, null, 0x604a);

/** Topics of MQTTPUB, MQTTPUBRAW, MQTTSUB, MQTTUNSUB and the last will: at most 128 bytes. */
export const MQTT_TOPIC_MAX = 128;
const HOST_MAX = 128;
const PATH_MAX = 32;

/** `<LinkID>`: only link 0 exists. */
const linkId = int('link_id', 0, 0);

/** AT+MQTTLONG…'s `<length>`: [1,1024]. */
const MQTT_LONG_MAX = 1024;
const topic = str('topic', MQTT_TOPIC_MAX);
const qos = int('qos', 0, 2);
const retain = int('retain', 0, 1);
const alpn = <const N extends string>(name: N) => opt(str(name, 64));

export const MQTT_COMMANDS = {
  MQTTUSERCFG: {
    area: 'mqtt',
    forms: ['set'],
    set: [
      any(
        linkId,
        int('scheme', 1, 10),
        str('client_id', 256),
        str('username', 64),
        str('password', 64),
        int('cert_key_ID', 0, 0),
        int('CA_ID', 0, 0),
        str('path', PATH_MAX),
      ),
    ],
    summary: 'MQTT user configuration (scheme, client id, credentials, certificates, path)',
    codes: {
      count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG,
      params: {
        link_id: LINK,
        scheme: codes(0x6012, null, 0x6013),
        client_id: codes(0x6014, 0x6015, 0x6016),
        username: codes(0x6017, 0x6018, 0x6019),
        password: codes(0x601a, 0x601b, 0x601c),
        cert_key_ID: codes(0x601d, null, 0x601e),
        CA_ID: codes(0x601f, null, 0x6020),
        path: codes(0x6027, 0x6028, 0x6029),
      },
    },
  },
  MQTTCLIENTID: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, str('client_id'))],
    summary: 'MQTT client ID',
    codes: { count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG, params: { link_id: LINK, client_id: codes(0x6014, 0x6015, 0x6016) } },
  },
  // ESP-AT 2.2 (ESP8266) and 4.x: the long forms, the text after a prompt.
  MQTTLONGCLIENTID: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, int('length', 1, MQTT_LONG_MAX))],
    summary: 'MQTT client ID, sent after the prompt',
  },
  MQTTLONGUSERNAME: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, int('length', 1, MQTT_LONG_MAX))],
    summary: 'MQTT username, sent after the prompt',
  },
  MQTTLONGPASSWORD: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, int('length', 1, MQTT_LONG_MAX))],
    summary: 'MQTT password, sent after the prompt',
  },
  // ESP-AT 4.x: the SNI of a TLS or WSS connection.
  MQTTSNI: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, str('sni', HOST_MAX))],
    summary: 'MQTT TLS server name indication',
  },
  MQTTUSERNAME: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, str('username'))],
    summary: 'MQTT username',
    codes: { count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG, params: { link_id: LINK, username: codes(0x6017, 0x6018, 0x6019) } },
  },
  MQTTPASSWORD: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, str('password'))],
    summary: 'MQTT password',
    codes: { count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG, params: { link_id: LINK, password: codes(0x601a, 0x601b, 0x601c) } },
  },
  MQTTCONNCFG: {
    area: 'mqtt',
    forms: ['set'],
    set: [
      any(
        linkId,
        int('keepalive', 0, 7200),
        int('disable_clean_session', 0, 1),
        opt(str('lwt_topic', MQTT_TOPIC_MAX)),
        opt(str('lwt_msg', 64)),
        opt(int('lwt_qos', 0, 2)),
        opt(int('lwt_retain', 0, 1)),
      ),
    ],
    summary: 'MQTT connection configuration (keepalive, clean session, last will)',
    codes: {
      count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG,
      params: {
        link_id: LINK,
        keepalive: codes(0x602b, 0x602c, 0x602d),
        disable_clean_session: codes(0x602e, null, 0x602f),
        lwt_topic: codes(0x6030, 0x6031, 0x6032),
        lwt_msg: codes(0x6033, 0x6034, 0x6035),
        lwt_qos: codes(0x6036, null, 0x6037),
        lwt_retain: codes(0x6038, null, 0x6039),
      },
    },
  },
  MQTTALPN: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, int('alpn_counts', 0, 5), alpn('alpn1'), alpn('alpn2'), alpn('alpn3'), alpn('alpn4'), alpn('alpn5'))],
    summary: 'MQTT ALPN protocols (TLS and WSS schemes)',
    codes: { count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG, params: { link_id: LINK } },
  },
  MQTTCONN: {
    area: 'mqtt',
    forms: ['query', 'set'],
    set: [any(linkId, str('host', HOST_MAX), port('port'), int('reconnect', 0, 1))],
    summary: 'Connect to an MQTT broker; query the connection',
    codes: {
      count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG,
      params: { link_id: LINK, host: codes(0x603a, MQTT_ERRORS.HOST_IS_NULL, 0x603c), port: codes(0x603d, null, 0x603e), reconnect: codes(0x603f, null, 0x6040) },
    },
    lines: {
      // `%s:%d,%d,%d,"%.*s","%.*s","%.*s",%d`: the port is printed as quoted text.
      connection: infoEach(
        integer('link_id'),
        integer('state'),
        integer('scheme'),
        quoted('host'),
        quoted('port'),
        quoted('path'),
        integer('reconnect'),
      ),
    },
  },
  MQTTPUB: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, topic, str('data'), qos, retain)],
    summary: 'Publish an MQTT message given as a string',
    codes: {
      count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG,
      params: { link_id: LINK, topic: TOPIC, data: codes(0x6044, 0x6045, 0x6046), qos: QOS, retain: RETAIN },
    },
  },
  MQTTPUBRAW: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, topic, int('length', 1), qos, retain)],
    summary: 'Publish an MQTT message sent after a prompt',
    codes: {
      count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG,
      params: { link_id: LINK, topic: TOPIC, length: codes(0x604b, null, 0x604c), qos: QOS, retain: RETAIN },
    },
    lines: { result: fixedLine('+MQTTPUB:', word('result', ['OK', 'FAIL'])) },
  },
  MQTTSUB: {
    area: 'mqtt',
    forms: ['query', 'set'],
    set: [any(linkId, topic, qos)],
    summary: 'Subscribe to an MQTT topic; list the subscriptions',
    codes: { count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG, params: { link_id: LINK, topic: TOPIC, qos: QOS } },
    lines: {
      // `%s:%d,%d,"%s",%d`; with no subscription `%s:%d,%d,"",0`.
      subscription: infoEach(integer('link_id'), integer('state'), quoted('topic'), integer('qos')),
      refused: words('ALREADY SUBSCRIBE', 'ALREADY FULL SUBSCRIBE'),
    },
  },
  MQTTUNSUB: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId, topic)],
    summary: 'Unsubscribe from an MQTT topic',
    codes: { count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG, params: { link_id: LINK, topic: TOPIC } },
    lines: { notSubscribed: words('NO UNSUBSCRIBE') },
  },
  MQTTCLEAN: {
    area: 'mqtt',
    forms: ['set'],
    set: [any(linkId)],
    summary: 'Close the MQTT connection and release its resources',
    codes: { count: MQTT_ERRORS.PARAMETER_COUNTS_IS_WRONG, params: { link_id: LINK } },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

/** AT+MQTTUSERCFG's schemes (the docs' numbering). */
export const MQTT_SCHEMES = {
  1: { transport: 'tcp', tls: false, verifyServer: false, clientCert: false },
  2: { transport: 'tcp', tls: true, verifyServer: false, clientCert: false },
  3: { transport: 'tcp', tls: true, verifyServer: true, clientCert: false },
  4: { transport: 'tcp', tls: true, verifyServer: false, clientCert: true },
  5: { transport: 'tcp', tls: true, verifyServer: true, clientCert: true },
  6: { transport: 'ws', tls: false, verifyServer: false, clientCert: false },
  7: { transport: 'ws', tls: true, verifyServer: false, clientCert: false },
  8: { transport: 'ws', tls: true, verifyServer: true, clientCert: false },
  9: { transport: 'ws', tls: true, verifyServer: false, clientCert: true },
  10: { transport: 'ws', tls: true, verifyServer: true, clientCert: true },
} as const satisfies Readonly<Record<number, MqttScheme>>;

export interface MqttScheme {
  readonly transport: 'tcp' | 'ws';
  readonly tls: boolean;
  readonly verifyServer: boolean;
  readonly clientCert: boolean;
}

export function mqttScheme(scheme: number): MqttScheme {
  return (MQTT_SCHEMES as Readonly<Record<number, MqttScheme>>)[scheme] ?? MQTT_SCHEMES[1];
}

/**
 * AT+MQTTCONN?'s and AT+MQTTSUB?'s `<state>` (the docs' list): 0 uninitialised, 1 user config set,
 * 2 connection config set, 3 disconnected, 4 connected, 5 connected but no topic subscribed
 * (after the last AT+MQTTUNSUB), 6 connected with subscriptions.
 */
export const MQTT_STATES = {
  uninitialised: 0,
  userConfigured: 1,
  connConfigured: 2,
  disconnected: 3,
  connected: 4,
  connectedNoTopic: 5,
  subscribed: 6,
} as const;
