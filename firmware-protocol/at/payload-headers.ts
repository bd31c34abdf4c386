import type { RemoteInfo } from './types.js';

/** A recognised header announcing <length> raw bytes. */
export interface PayloadHeader {
  readonly kind: 'ipd' | 'recv-data';
  readonly link: number | null;
  readonly length: number;
  readonly remote: RemoteInfo | null;
}

/** Remote address: quoted (2.x, IPv4 or IPv6) or bare dotted IPv4 (NonOS 1.7). */
const REMOTE = String.raw`(?:"([^"]*)"|([0-9.]+)),(\d{1,5})`;
/** `+IPD,[<id>,]<len>[,<ip>,<port>]:` */
const ACTIVE_IPD = new RegExp(String.raw`^\+IPD,(?:(\d{1,2}),)?(\d{1,10})(?:,${REMOTE})?:$`);
/** 1.7: `+CIPRECVDATA,<len>:` */
const RECVDATA_17 = /^\+CIPRECVDATA,(\d{1,10}):$/;
/** 2.x: `+CIPRECVDATA:<len>,` */
const RECVDATA_2X = /^\+CIPRECVDATA:(\d{1,10}),$/;
/** 2.x with CIPDINFO=1: `+CIPRECVDATA:<len>,"<ip>",<port>,` */
const RECVDATA_2X_REMOTE = new RegExp(String.raw`^\+CIPRECVDATA:(\d{1,10}),${REMOTE},$`);

function remoteOf(quoted: string | undefined, bare: string | undefined, port: string | undefined): RemoteInfo | null {
  const ip = quoted ?? bare;
  return ip === undefined || port === undefined ? null : { ip, port: Number(port) };
}

/**
 * Called by the host parser each time a line that starts with `+` reaches a `:` or `,`: returns
 * the header if the text so far is exactly a complete payload header. A `:` inside a quoted
 * IPv6 address does not complete the pattern, so matching simply waits for the real end.
 */
export function matchPayloadHeader(text: string, recvDataRemote: boolean): PayloadHeader | null {
  if (text.startsWith('+IPD,')) {
    const m = ACTIVE_IPD.exec(text);
    if (m === null) return null;
    return {
      kind: 'ipd',
      link: m[1] === undefined ? null : Number(m[1]),
      length: Number(m[2]),
      remote: remoteOf(m[3], m[4], m[5]),
    };
  }
  if (text.startsWith('+CIPRECVDATA,')) {
    const m = RECVDATA_17.exec(text);
    return m === null ? null : { kind: 'recv-data', link: null, length: Number(m[1]), remote: null };
  }
  if (text.startsWith('+CIPRECVDATA:')) {
    const m = (recvDataRemote ? RECVDATA_2X_REMOTE : RECVDATA_2X).exec(text);
    if (m === null) return null;
    return { kind: 'recv-data', link: null, length: Number(m[1]), remote: remoteOf(m[2], m[3], m[4]) };
  }
  return null;
}
