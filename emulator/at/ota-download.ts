import type { Clock } from '../../runtime/clock.js';
import { StackError, type NetworkStack, type VirtualLink } from '../network/types.js';

/**
 * The HTTP side of AT+CIUPDATE, as at_ota_cmd.c does it on lwIP sockets (no AT here; the handler
 * prints the progress): reads of at most TEXT_BUFFSIZE bytes, the version query over HTTP/1.0 read
 * once, the image download over HTTP/1.1 with its Content-Length, the partition's magic bytes checked
 * in the first read after the headers.
 */

/** TEXT_BUFFSIZE: each read() of the firmware takes at most this many bytes. */
export const OTA_READ_SIZE = 1024;

/** The request headers after Host (at_ota_cmd.c's `pheadbuffer`, token included). */
export function otaHeaders(token: string): string {
  return (
    'Connection: keep-alive\r\n' +
    'Cache-Control: no-cache\r\n' +
    'User-Agent: Mozilla/5.0 (Windows NT 5.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/30.0.1599.101 Safari/537.36 \r\n' +
    'Accept: */*\r\n' +
    `Authorization: token ${token}\r\n` +
    'Accept-Encoding: gzip,deflate,sdch\r\n' +
    'Accept-Language: zh-CN,zh;q=0.8\r\n\r\n'
  );
}

export function versionRequest(ip: string, port: number, token: string): string {
  return `GET /v1/device/rom/?is_format_simple=true HTTP/1.0\r\nHost: ${ip}:${port}\r\n${otaHeaders(token)}`;
}

export function downloadRequest(version: string, partition: string, ip: string, port: number, token: string): string {
  return `GET /v1/device/rom/?action=download_rom&version=${version}&filename=${partition}.bin HTTP/1.1\r\nHost: ${ip}:${port}\r\n${otaHeaders(token)}`;
}

/** `rom_version": "<v>",` in the server's answer (strstr, as the firmware looks for it), or null. */
export function romVersion(answer: string): string | null {
  const at = answer.indexOf('rom_version": ');
  if (at < 0) return null;
  const start = at + 'rom_version": "'.length;
  const end = answer.indexOf('",', start);
  return end < 0 ? null : answer.slice(start, end);
}

/**
 * AT+CIPFWVER's reading of the server's answer (at_query_cmd_cipfwver, "rudely string matching"):
 * from each `"version": ` the bytes from the next byte (the opening quote) to the `"` of the next
 * `", ` after it, quotes included. UNSURE: a `"version": ` without a `", ` after it (the firmware
 * reads past its buffer there); copro stops.
 */
export function fwVersions(answer: string): string[] {
  const versions: string[] = [];
  const key = '"version": ';
  let at = answer.indexOf(key);
  while (at >= 0) {
    const head = at + key.length;
    const tail = answer.indexOf('", ', head + 1);
    if (tail < 0) break;
    versions.push(answer.slice(head, tail + 1));
    at = answer.indexOf(key, tail);
  }
  return versions;
}

/** at_ota_cmd.c's s_at_partition_sig: a partition's magic bytes at an offset of the image. */
const PARTITION_MAGIC: Readonly<Record<string, { readonly offset: number; readonly bytes: readonly number[] }>> = {
  ota: { offset: 0, bytes: [0xe9] },
  ble_data: { offset: 2, bytes: [0x27, 0x95] },
  factory_param: { offset: 0, bytes: [0xfc, 0xfc] },
  ...Object.fromEntries(
    ['mqtt_ca', 'mqtt_cert', 'mqtt_key', 'client_ca', 'client_cert', 'client_key', 'server_ca', 'server_cert', 'server_key', 'wpa2_ca', 'wpa2_cert', 'wpa2_key'].map(
      (name) => [name, { offset: 0, bytes: [0xf1, 0xf1] }],
    ),
  ),
};

/** at_partition_verify: a known partition whose image starts with its magic; anything else fails. */
export function partitionImageValid(partition: string, firstBody: Uint8Array): boolean {
  const magic = PARTITION_MAGIC[partition];
  if (magic === undefined || firstBody.length < magic.bytes.length) return false;
  return magic.bytes.every((byte, index) => firstBody[magic.offset + index] === byte);
}

/** A TCP link read the way lwIP's read() is used: up to `max` bytes at a time, null once closed. */
export class LinkReader {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private waiter: (() => void) | null = null;

  constructor(readonly link: VirtualLink) {
    link.setHandlers({
      onData: (data) => {
        this.chunks.push(Buffer.from(data));
        this.wake();
      },
      onClose: () => {
        this.ended = true;
        this.wake();
      },
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  async read(max = OTA_READ_SIZE): Promise<Buffer | null> {
    while (this.chunks.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.waiter = resolve));
    if (this.chunks.length === 0) return null;
    const all = Buffer.concat(this.chunks.splice(0));
    if (all.length > max) this.chunks.push(all.subarray(max));
    return all.subarray(0, max);
  }
}

/** Opens the OTA connection (plain TCP, or TLS without verification for `<ota mode>` 1: UNSURE). */
export async function connectOta(stack: NetworkStack, ip: string, port: number, tls: boolean, timeoutMs: number): Promise<VirtualLink> {
  if (!tls) return stack.connectTcp({ host: ip, port, timeoutMs });
  if (!stack.connectTls) throw new StackError('io', 'this network stack has no TLS');
  return stack.connectTls({ host: ip, port, timeoutMs, servername: null, verify: null, maxVersion: 'TLSv1.2' });
}

/** Ends every pending read with a failure once the firmware's OTA timer fires (it closes the socket). */
export function otaDeadline(clock: Clock, ms: number, links: () => readonly VirtualLink[]): () => void {
  const timer = clock.setTimeout(() => {
    for (const link of links()) link.abort('error', new StackError('timeout', 'OTA timed out'));
  }, ms);
  return () => clock.clearTimeout(timer);
}
