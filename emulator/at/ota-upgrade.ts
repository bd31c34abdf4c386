import { isIPv4 } from 'node:net';
import type { VirtualLink } from '../network/types.js';
import type { ModuleCore } from './module-core.js';
import { LinkReader, connectOta, downloadRequest, otaDeadline, partitionImageValid, romVersion, versionRequest } from './ota-download.js';

/**
 * esp_at_upgrade_process (at_ota_cmd.c) on the emulated module: find the server (the world's `ota`
 * address, else the built-in name resolved), ask it for the newest version unless one is given,
 * download `<name>.bin` and write it: the system firmware (`ota`: kept as the version the next boot
 * runs) or a custom partition of the flash (erased first). `progress` hears 1..4 as the firmware
 * prints them; any failure rejects (the caller prints what the firmware prints then).
 */

export interface OtaRequest {
  readonly sslMode: boolean;
  readonly version: string | null;
  readonly partition: string;
}

interface OtaRecord {
  state: number;
  running: boolean;
  /** The image downloaded for `ota`, and the boot it was downloaded in. */
  staged: { readonly version: string; readonly epoch: number } | null;
}

const records = new WeakMap<ModuleCore, OtaRecord>();

export function otaRecord(core: ModuleCore): OtaRecord {
  let record = records.get(core);
  if (!record) records.set(core, (record = { state: 0, running: false, staged: null }));
  return record;
}

/** AT+GMR after an `ota` upgrade and a restart: the version line names the downloaded version. */
export function gmrLinesOf(core: ModuleCore): readonly string[] {
  const staged = otaRecord(core).staged;
  if (staged === null || staged.epoch === core.epoch) return core.profile.gmrLines;
  const shown = staged.version.replace(/^v/, '');
  return core.profile.gmrLines.map((line, index) => (index === 0 ? line.replace(/^AT version:[^(]*/, `AT version:${shown}`) : line));
}

/** Where the OTA server is: the world's `ota` override, else the build's name resolved. */
export async function serverAddress(core: ModuleCore, sslMode: boolean): Promise<{ ip: string; port: number }> {
  const build = core.profile.ota;
  if (!build) throw new Error('no OTA in this firmware');
  const override = sslMode ? core.world.ota?.sslServer : core.world.ota?.server;
  if (override) return { ip: override.host, port: override.port };
  const name = sslMode ? build.sslServer : build.server;
  if (name === null) throw new Error('SSL OTA is not built in');
  return { ip: isIPv4(name) ? name : await core.stack.resolve(name), port: sslMode ? build.sslPort : build.port };
}

export async function runUpgrade(core: ModuleCore, request: OtaRequest, progress: (state: number) => void): Promise<void> {
  const build = core.profile.ota;
  if (!build) throw new Error('no OTA in this firmware');
  const record = otaRecord(core);
  const links: VirtualLink[] = [];
  const cancel = otaDeadline(core.clock, build.timeoutMs, () => links);
  const step = (state: number): void => {
    record.state = state;
    progress(state);
  };
  try {
    const { ip, port } = await serverAddress(core, request.sslMode);
    step(1);
    const open = async (): Promise<LinkReader> => {
      const link = await connectOta(core.stack, ip, port, request.sslMode, build.timeoutMs);
      links.push(link);
      return new LinkReader(link);
    };
    let version = request.version;
    if (version === null) {
      const reader = await open();
      step(2);
      await reader.link.send(Buffer.from(versionRequest(ip, port, build.token), 'latin1'));
      const answer = await reader.read();
      reader.link.close();
      version = answer === null ? null : romVersion(answer.toString('latin1'));
      if (version === null) throw new Error('no rom_version in the server answer');
      step(3);
    }
    const system = request.partition.startsWith('ota');
    const partition = system ? null : core.flash.find(request.partition);
    if (!system && partition === undefined) throw new Error(`no custom partition ${request.partition}`);
    if (partition) core.flash.erase(partition, 0, partition.size);
    const reader = await open();
    await reader.link.send(Buffer.from(downloadRequest(version, request.partition, ip, port, build.token), 'latin1'));
    let total = 0;
    let received = 0;
    let bodyStarted = false;
    const write = (bytes: Buffer): void => {
      if (partition && received + bytes.length > partition.size) throw new Error('image larger than the partition');
      if (partition) core.flash.write(partition, received, bytes);
      received += bytes.length;
    };
    for (;;) {
      const data = await reader.read();
      if (data === null) {
        if (received !== total) throw new Error(`download cut at ${received} of ${total} bytes`);
      } else if (!bodyStarted) {
        const text = data.toString('latin1');
        const length = text.indexOf('Content-Length: ');
        // No length in the first read: the firmware stops reading here (and writes nothing).
        if (length < 0) break;
        total = Number.parseInt(text.slice(length + 'Content-Length: '.length), 10) || 0;
        const headersEnd = text.indexOf('\r\n\r\n');
        if (headersEnd >= 0) {
          bodyStarted = true;
          const body = data.subarray(headersEnd + 4);
          if (!partitionImageValid(request.partition, body)) throw new Error(`${request.partition}: not a valid image (magic bytes)`);
          write(body);
        }
      } else {
        write(data);
      }
      if (received === total) break;
    }
    reader.link.close();
    // esp_ota_end refuses an empty or incomplete system image.
    if (system && (received === 0 || received !== total)) throw new Error('system image incomplete');
    if (system) record.staged = { version, epoch: core.epoch };
    step(4);
  } finally {
    cancel();
    for (const link of links) link.close();
  }
}
