import type { FieldSpec } from './grammar/fields.js';
import { lineMatcher, type LineMatcher } from './grammar/line-parse.js';
import type { LineSpec } from './grammar/line-spec.js';
import { fixedLead } from './grammar/urc-values.js';
import { IPD_HEADER, MQTT_SUBRECV_HEADER, PIECE_COMMANDS, RECV_DATA_HEADERS, pieceHeader } from './messages.js';
import type { RemoteInfo } from './types.js';

/** A recognised header announcing <length> raw bytes. */
export interface PayloadHeader {
  readonly kind: 'ipd' | 'recv-data' | 'mqtt-recv' | 'piece';
  /** For a command's counted piece: the command whose answer it is (`HTTPCLIENT`, `FS`). */
  readonly command?: string;
  readonly link: number | null;
  readonly length: number;
  readonly remote: RemoteInfo | null;
  /** `+MQTTSUBRECV`'s topic. */
  readonly topic?: string;
}

/** `spec` with its optional remote group required (present) or dropped (absent). */
function withRemote(spec: LineSpec, present: boolean): LineSpec {
  const fields = spec.fields.flatMap((field): FieldSpec[] => {
    if (field.kind !== 'group') return [field];
    return present ? [{ ...field, optional: false }] : [];
  });
  return { ...spec, fields };
}

function matcher(spec: LineSpec): LineMatcher {
  return lineMatcher(spec, fixedLead(spec));
}

const IPD = matcher(IPD_HEADER);
const RECV_DATA_17 = matcher(RECV_DATA_HEADERS['comma-length-colon']);
/** 2.x: with CIPDINFO=1 the sender comes first, and the data may start with `"`: the consumer says. */
const RECV_DATA_REMOTE = matcher(withRemote(RECV_DATA_HEADERS['colon-length-comma'], true));
const RECV_DATA_PLAIN = matcher(withRemote(RECV_DATA_HEADERS['colon-length-comma'], false));
const MQTT_SUBRECV = matcher(MQTT_SUBRECV_HEADER);

const HTTP_PIECES = PIECE_COMMANDS.map((command) => ({ command, lead: `+${command}:`, match: matcher(pieceHeader(command)) }));

function header(kind: PayloadHeader['kind'], match: LineMatcher, text: string): PayloadHeader | null {
  const values = match(text);
  if (values === null) return null;
  const { link, length, remote_ip: ip, remote_port: port } = values;
  return {
    kind,
    link: typeof link === 'number' ? link : null,
    length: length as number,
    remote: typeof ip === 'string' && typeof port === 'number' ? { ip, port } : null,
  };
}

/**
 * Called by the host parser each time a line that starts with `+` reaches a `:` or `,`: returns
 * the header if the text so far is exactly a complete payload header (messages.ts). A `:` inside
 * a quoted IPv6 address does not complete the pattern, so matching simply waits for the real end.
 * Both CIPRECVDATA layouts are read whatever the profile.
 */
export function matchPayloadHeader(text: string, recvDataRemote: boolean): PayloadHeader | null {
  if (text.startsWith('+IPD,')) return header('ipd', IPD, text);
  for (const piece of HTTP_PIECES) {
    if (!text.startsWith(piece.lead)) continue;
    const found = header('piece', piece.match, text);
    return found === null ? null : { ...found, command: piece.command };
  }
  if (text.startsWith('+CIPRECVDATA,')) return header('recv-data', RECV_DATA_17, text);
  if (text.startsWith('+CIPRECVDATA:')) return header('recv-data', recvDataRemote ? RECV_DATA_REMOTE : RECV_DATA_PLAIN, text);
  if (text.startsWith('+MQTTSUBRECV:')) {
    const values = MQTT_SUBRECV(text);
    if (values === null) return null;
    return { kind: 'mqtt-recv', link: values.link as number, length: values.length as number, remote: null, topic: values.topic as string };
  }
  return null;
}
