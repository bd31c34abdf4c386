/**
 * The `trace` option: one line per thing said on the wire, `>` host to module, `<` module to
 * host, `!` the engine's own decisions (resend after busy, resync after reset).
 */
import type { HostEvent, Urc } from '../../firmware-protocol/at/types.js';
import { urcText } from '../../firmware-protocol/at/grammar/urc-values.js';

export type TraceSink = (line: string) => void;

/** Printable ASCII as is; everything else as `\r`, `\n`, `\xNN`. */
export function escapeBytes(bytes: Uint8Array | string, max = 96): string {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  let out = '';
  for (let i = 0; i < buf.length && i < max; i++) {
    const b = buf[i];
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  if (buf.length > max) out += `… (${buf.length} bytes)`;
  return out;
}

/** A URC as the module printed it, without its CR LFs (messages.ts declares each). */
export function describeUrc(urc: Urc): string {
  return urcText(urc).replace(/^\r\n|\r\n$/g, '');
}

/** One event as the module printed it (payloads escaped and shortened). */
export function describeEvent(event: HostEvent): string {
  switch (event.type) {
    case 'final':
      return event.result;
    case 'info':
      return `+${event.name}:${escapeBytes(event.text)}`;
    case 'urc':
      return `[urc] ${describeUrc(event.urc)}`;
    case 'prompt':
      return '>';
    case 'recv-bytes':
      return `Recv ${event.count} bytes`;
    case 'ipd': {
      const who = event.remote ? `,${event.remote.ip},${event.remote.port}` : '';
      return `[urc] +IPD,${event.link ?? ''},${event.data.length}${who}:${escapeBytes(event.data, 48)}`;
    }
    case 'recv-data': {
      const who = event.remote ? `,${event.remote.ip},${event.remote.port}` : '';
      return `+CIPRECVDATA:${event.data.length}${who},${escapeBytes(event.data, 48)}`;
    }
    case 'mqtt-recv':
      return `[urc] +MQTTSUBRECV:${event.link},"${escapeBytes(event.topic)}",${event.data.length},${escapeBytes(event.data, 48)}`;
    case 'piece':
      return `+${event.command}:${event.data.length},${escapeBytes(event.data, 48)}`;
    case 'line':
      return escapeBytes(event.text);
    case 'passthrough':
      return `[passthrough] ${escapeBytes(event.bytes, 48)}`;
  }
}
