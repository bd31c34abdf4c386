/**
 * The tap's test bench: an emulated module on a real PTY (with the UART line model, as `copro
 * emulate` runs it, and optionally recording its own transcript at the wire), a tap in front of
 * it on a second PTY, and a scripted AT host whose every decision follows from the module's
 * answers alone (no timers), so the same script can be replayed byte for byte.
 */
import { readFileSync } from 'node:fs';
import { startEmulator } from '../../emulator/emulator.js';
import type { RunningEmulator } from '../../emulator/emulator.js';
import type { WorldConfig } from '../../emulator/world-config.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { recordTransport } from '../../emulator/transport/recording-transport.js';
import { openUartLine } from '../../emulator/transport/uart-line-transport.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { PROFILES } from '../../firmware-protocol/at/profiles.js';
import { openHostPort } from '../../src/open.js';
import { Tap } from '../../src/tap/tap.js';
import { AtDialogueDecoder } from '../../src/transcript/at-dialogue.js';
import { parseTranscript } from '../../src/transcript/reader.js';
import type { Transcript } from '../../src/transcript/reader.js';
import { TranscriptRecorder } from '../../src/transcript/recorder.js';
import { AtHostSession } from '../helpers/at-host-session.js';
import { openHostSerial } from '../helpers/host-serial.js';
import { pseudoRandomBytes, sha256 } from './fixtures.js';

export interface PtyEmulator {
  readonly emulator: RunningEmulator;
  readonly address: string;
  close(): Promise<void>;
}

/** `copro emulate --link LINK [--record FILE]`, in this process. */
export async function startPtyEmulator(options: { world: WorldConfig; link: string; profile?: ProfileId; record?: string }): Promise<PtyEmulator> {
  const profile = options.profile ?? 'esp32-at-2.x';
  const wire = await openPtyTransport({ link: options.link });
  const recorder = options.record
    ? await TranscriptRecorder.open(options.record, { recorder: 'emulator', baud: 115200, device: wire.address, banner: PROFILES[profile].gmrLines, profile })
    : null;
  const transport = await openUartLine(recorder ? recordTransport(wire, recorder) : wire, { defaultBaudRate: 115200 });
  const emulator = await startEmulator({ transport, world: options.world, profile });
  await emulator.ready;
  await wire.drained();
  return {
    emulator,
    address: wire.address,
    async close() {
      await emulator.close();
      await transport.close();
      await recorder?.close();
    },
  };
}

export interface RunningTap {
  readonly tap: Tap;
  readonly address: string;
  readonly reports: string[];
  close(): Promise<void>;
}

/** `copro tap --device DEVICE --link LINK [--record FILE]`, in this process. */
export async function startTap(device: string, link: string, record?: string): Promise<RunningTap> {
  const hostSide = await openPtyTransport({ link, maxQueuedBytes: 4 * 1024 * 1024, baudPollMs: 50 });
  const recorder = record ? await TranscriptRecorder.open(record, { recorder: 'tap', baud: 115200, device }) : undefined;
  const reports: string[] = [];
  const tap = await Tap.start({
    hostSide,
    devicePath: device,
    openDevice: () => openHostPort(device, { baudRate: 115200 }),
    decoder: new AtDialogueDecoder(),
    recorder,
    report: (text) => reports.push(text),
  });
  return {
    tap,
    address: hostSide.address,
    reports,
    async close() {
      await tap.close();
      await recorder?.close();
    },
  };
}

export function readTranscript(file: string): Transcript {
  return parseTranscript(readFileSync(file, 'utf8'), file);
}

export interface Peers {
  readonly tcp: number;
  readonly udp: number;
  readonly tls: number;
}

export interface ScriptOutcome {
  /** sha256 of what came back through each link. */
  readonly tcpBack: string;
  readonly udpBack: string;
  readonly tlsBack: string;
  readonly sent: { readonly tcp: string; readonly tls: string };
}

/** Reads every byte link `link` holds in passive mode (CIPRECVLEN?, then CIPRECVDATA). */
async function drain(h: AtHostSession, link: number, into: Buffer[]): Promise<number> {
  let total = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const len = await h.ok('AT+CIPRECVLEN?');
    const info = len.find((e) => e.type === 'info' && e.name === 'CIPRECVLEN');
    const waiting = Number(info?.type === 'info' ? info.text.split(',')[link] : 0);
    if (!(waiting > 0)) return total;
    const { events } = await h.command(`AT+CIPRECVDATA=${link},${Math.min(waiting, 8192)}`);
    for (const e of events) {
      if (e.type === 'recv-data') {
        into.push(Buffer.from(e.data));
        total += e.data.length;
      }
    }
  }
  return total;
}

/** Sends `payload` on `link` in CIPSEND chunks, reading what comes back, until as much came back. */
async function echoOver(h: AtHostSession, link: number, payload: Buffer): Promise<Buffer> {
  const back: Buffer[] = [];
  let got = 0;
  for (let off = 0; off < payload.length; off += 8192) {
    const part = payload.subarray(off, off + 8192);
    const result = await h.sendData(`AT+CIPSEND=${link},${part.length}`, part);
    if (result !== 'SEND OK') throw new Error(`CIPSEND answered ${result}`);
    got += await drain(h, link, back);
  }
  for (let rounds = 0; got < payload.length && rounds < 500; rounds++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    got += await drain(h, link, back);
  }
  return Buffer.concat(back);
}

/**
 * The module time the scripted host sets before its verified TLS link: an hour past this file's load,
 * so certificates made later by the test (valid from their making, for a year) are valid at it.
 */
const SESSION_CLOCK = Math.floor(Date.now() / 1000) + 3600;

/**
 * The scripted host: join, TCP echo (`bulk` bytes each way), UDP, TLS (8 KiB each way), a reset,
 * then AT+UART_CUR to 230400 with the host following. Every step waits for the module's answer;
 * nothing depends on a clock, so a replay of its transcript sees the very same bytes.
 */
export async function scriptedSession(
  path: string,
  peers: Peers,
  bulk: number,
  /** Resolves once whatever sits between the host and the module runs at the host's new rate (a tap follows it). */
  rateFollowed: () => Promise<void> = () => Promise.resolve(),
): Promise<ScriptOutcome> {
  const serial = await openHostSerial(path, 115200);
  const h = new AtHostSession(serial);
  try {
    await h.ok('ATE0');
    await h.ok('AT+CWMODE=1');
    await h.ok('AT+CWJAP="copro-lab","labpass123"', 10_000);
    await h.ok('AT+CIPMUX=1');
    await h.ok('AT+CIPRECVMODE=1');
    await h.ok(`AT+CIPSTART=0,"TCP","127.0.0.1",${peers.tcp}`, 10_000);
    const tcpPayload = pseudoRandomBytes(bulk, 0x1717);
    const tcpBack = await echoOver(h, 0, tcpPayload);
    await h.ok(`AT+CIPSTART=1,"UDP","127.0.0.1",${peers.udp}`, 10_000);
    if ((await h.sendData('AT+CIPSEND=1,4', Buffer.from('ping'))) !== 'SEND OK') throw new Error('UDP send failed');
    const udp: Buffer[] = [];
    for (let rounds = 0; udp.length === 0 && rounds < 500; rounds++) {
      if ((await drain(h, 1, udp)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // The module checks certificate dates by its clock (1970 after boot); one value per test process,
    // so the recording and its replay send the same bytes.
    await h.ok(`AT+SYSTIMESTAMP=${SESSION_CLOCK}`);
    await h.ok('AT+CIPSSLCCONF=2,2,0,0');
    await h.ok(`AT+CIPSTART=2,"SSL","peer.lab",${peers.tls}`, 15_000);
    const tlsPayload = pseudoRandomBytes(8192, 0x7151);
    const tlsBack = await echoOver(h, 2, tlsPayload);
    await h.ok('AT+CIPCLOSE=2');
    await h.ok('AT+CIPCLOSE=1');
    await h.ok('AT+CIPCLOSE=0');
    await h.write('AT+RST\r\n');
    await h.rawUntil('ready\r\n', 10_000);
    await h.ok('AT+UART_CUR=230400,8,1,0,0');
    await new Promise<void>((resolve, reject) => serial.port.update({ baudRate: 230400 }, (err) => (err ? reject(err) : resolve())));
    // A byte sent before the line in between follows reaches the module at the old rate, garbled.
    await rateFollowed();
    await h.ok('AT');
    await h.ok('AT+GMR');
    return {
      tcpBack: sha256(tcpBack),
      udpBack: sha256(Buffer.concat(udp)),
      tlsBack: sha256(tlsBack),
      sent: { tcp: sha256(tcpPayload), tls: sha256(tlsPayload) },
    };
  } finally {
    await serial.close();
  }
}
