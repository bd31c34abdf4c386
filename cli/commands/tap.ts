/**
 * `copro tap --device DEV (--pty [--link PATH] | --listen [HOST:]PORT) [--record FILE] [--trace]`:
 * a transparent proxy between a host program and a module (src/tap/tap.ts), recording and
 * decoding the dialogue on the way. Runs until SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openSerialDeviceTransport } from '../../emulator/transport/serial-device-transport.js';
import { openTcpTransport } from '../../emulator/transport/tcp-transport.js';
import { parseListenSpec } from '../../emulator/transport/listen-spec.js';
import { openHostPort } from '../../src/open.js';
import { Tap } from '../../src/tap/tap.js';
import type { TapHostSide } from '../../src/tap/tap.js';
import { AtDialogueDecoder } from '../../src/transcript/at-dialogue.js';
import type { DialogueDecoder } from '../../src/transcript/dialogue.js';
import { DialogueView, ECHO_WAIT_MS, formatForTrace } from '../../src/transcript/dialogue-view.js';
import { NinaDialogueDecoder } from '../../src/transcript/nina-dialogue.js';
import { TranscriptRecorder } from '../../src/transcript/recorder.js';
import { onSignals } from '../../src/tools/cli-device.js';
import { reportAndExit } from '../fail.js';

interface TapCliOptions {
  readonly device: string;
  readonly baud: number;
  readonly pty?: boolean;
  readonly link?: string;
  readonly listen?: string;
  readonly hostDevice?: string;
  readonly tcp: 'raw' | 'rfc2217';
  readonly record?: string;
  readonly protocol: 'at' | 'nina';
  readonly trace?: boolean;
}

/** The host side's output bound: far above the point where the device is held back, so nothing is dropped. */
const HOST_SIDE_QUEUE_BYTES = 4 * 1024 * 1024;
/** A host switching its PTY's rate is noticed within this (and at once after a rate command). */
const HOST_BAUD_POLL_MS = 50;

function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

async function openHostSide(opts: TapCliOptions): Promise<TapHostSide> {
  const chosen = [opts.pty || opts.link, opts.listen, opts.hostDevice].filter(Boolean).length;
  if (chosen > 1) throw new Error('choose one of --pty, --listen and --host-device');
  if (opts.hostDevice) return openSerialDeviceTransport({ path: opts.hostDevice, baudRate: opts.baud, maxQueuedBytes: HOST_SIDE_QUEUE_BYTES });
  if (opts.listen) {
    const { host, port } = parseListenSpec(opts.listen);
    return openTcpTransport({ host, port, protocol: opts.tcp, baudRate: opts.baud, maxQueuedBytes: HOST_SIDE_QUEUE_BYTES });
  }
  return openPtyTransport({ link: opts.link, baudRate: opts.baud, maxQueuedBytes: HOST_SIDE_QUEUE_BYTES, baudPollMs: HOST_BAUD_POLL_MS });
}

/** Dialogue lines on stderr: time, gap, direction, each command once with its echo marked. */
function traceTo(write: (line: string) => void): (event: Parameters<DialogueView['push']>[0], t: number) => void {
  let previous: number | null = null;
  const view = new DialogueView((shown) => {
    write(formatForTrace(shown, previous));
    previous = shown.t;
  });
  let timer: NodeJS.Timeout | null = null;
  return (event, t) => {
    view.push(event, t);
    if (timer) clearTimeout(timer);
    timer = view.holding ? setTimeout(() => view.flush(), ECHO_WAIT_MS) : null;
    timer?.unref();
  };
}

async function runTap(opts: TapCliOptions): Promise<void> {
  const decoder: DialogueDecoder = opts.protocol === 'nina' ? new NinaDialogueDecoder() : new AtDialogueDecoder();
  const stderr = (line: string): void => void process.stderr.write(`${line}\n`);
  const hostSide = await openHostSide(opts);
  const recorder = opts.record
    ? await TranscriptRecorder.open(opts.record, { recorder: 'tap', protocol: opts.protocol, baud: opts.baud, device: opts.device }).catch(async (err: unknown) => {
        await hostSide.close();
        throw err;
      })
    : undefined;
  let tap: Tap;
  try {
    tap = await Tap.start({
      hostSide,
      hostIsSerialDevice: Boolean(opts.hostDevice),
      devicePath: opts.device,
      openDevice: () => openHostPort(opts.device, { baudRate: opts.baud }),
      decoder,
      recorder,
      onDialogue: opts.trace ? traceTo(stderr) : undefined,
      report: (text) => stderr(`copro tap: ${text}`),
    });
  } catch (err) {
    await hostSide.close();
    await recorder?.close();
    throw err;
  }
  const recording = opts.record ? ` · recording to ${opts.record}` : '';
  process.stdout.write(`copro tap: host opens ${tap.address} ↔ module on ${opts.device} at ${opts.baud} baud${recording}\n`);
  await new Promise<void>((resolve) => {
    const stop = onSignals(() => {
      stop();
      resolve();
    });
  });
  await tap.close();
  await recorder?.close();
  const { hostToDevice, deviceToHost } = tap.counts();
  stderr(`copro tap: ${hostToDevice} bytes host → module, ${deviceToHost} bytes module → host`);
}

export function registerTap(program: Command): void {
  program
    .command('tap')
    .description('sit between a host program and a module: pass every byte unchanged both ways, record and decode the dialogue')
    .requiredOption('--device <dev>', 'the module: a serial device (/dev/ttyUSB0), a PTY (a running copro emulate), or tcp://HOST:PORT')
    .option('--baud <rate>', 'line rate to open the device with (a host on the PTY that sets another rate is followed)', parseRate, 115200)
    .option('--pty', 'give the host a new pseudo-terminal to open instead of the module (the default)')
    .option('--link <path>', 'also publish that PTY under this path (a symlink to /dev/pts/N)')
    .option('--listen <[host:]port>', 'give the host serial-over-TCP instead (127.0.0.1 unless a host is given)')
    .option('--host-device <path>', 'the host is on a real serial device (a real MCU on a USB-serial adapter) at --baud; AT+UART_CUR is followed on both lines')
    .addOption(new Option('--tcp <protocol>', 'serial-over-TCP flavour for --listen; rfc2217 carries baud and reset to the device').choices(['raw', 'rfc2217']).default('raw'))
    .option('--record <file>', 'write the dialogue as a transcript (docs/transcripts.md) for copro replay and copro verify')
    .addOption(new Option('--protocol <name>', 'what the module speaks, for decoding: at (ESP-AT) or nina (nina-fw frames)').choices(['at', 'nina']).default('at'))
    .option('--trace', 'print the decoded dialogue on stderr: time, gap since the previous event, direction, each command once ([echoed] when the module echoed it)')
    .addHelpText(
      'after',
      `
The tap never alters, adds or drops a byte, whatever its decoder makes of them. When the host
reads slowly the device is held back (and the host when the device is slow); when the device
goes away, host bytes wait and the tap reopens it every 250 ms until it is back. A host that
changes its PTY's rate (or sends RFC 2217 SET-BAUDRATE) is followed on the device.

Examples:
  copro tap --device /dev/ttyUSB0 --link /tmp/ttyTAP --record session.jsonl --trace
  copro tap --device /dev/ttyUSB1 --host-device /dev/ttyUSB0 --baud 115200 --record mcu.jsonl
  copro tap --device /tmp/copro0 --listen 7002 --tcp rfc2217
See docs/real-module.md and docs/transcripts.md.`,
    )
    .action(async (opts: TapCliOptions) => {
      try {
        await runTap(opts);
        process.exit(0);
      } catch (err) {
        reportAndExit(err);
      }
    });
}
