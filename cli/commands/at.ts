/**
 * `copro at`: a raw AT terminal on a module. Lines typed are sent with CR LF (node:readline:
 * line editing, history); the dialogue is shown once as the codec decodes it both ways (each
 * command on one line, `[echoed]` when the module echoed it, instead of the typed line and then
 * its echo), with non-printable bytes escaped and unsolicited messages marked `[urc]`. After a
 * `>` prompt the next line is the payload, sent without CR LF (`\r`, `\n`, `\xNN`, `\\` escapes allowed).
 * Lines are paced: the next one goes out after the module's final result (or after --wait ms),
 * so a piped script behaves like a person typing.
 */
import * as readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { HostEvent } from '../../firmware-protocol/at/types.js';
import { openHostPort } from '../../src/open.js';
import { AtDialogueDecoder } from '../../src/transcript/at-dialogue.js';
import type { DialogueEvent } from '../../src/transcript/dialogue.js';
import { DialogueView, ECHO_WAIT_MS, formatForTerminal } from '../../src/transcript/dialogue-view.js';
import { withConfigLoaded, withDeviceOptions } from '../../src/tools/cli-device.js';
import type { DeviceOptions } from '../../src/tools/cli-device.js';
import { reportAndExit } from '../fail.js';

export interface AtOptions extends DeviceOptions {
  /** Longest wait for a final result before the next line goes out (ms). */
  readonly wait: number;
}

export interface AtStreams {
  readonly stdin: Readable;
  readonly stdout: Writable & { isTTY?: boolean };
}

/** `\r`, `\n`, `\t`, `\xNN` and `\\` in a payload line. */
export function unescapePayload(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 >= text.length) {
      out.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[++i];
    if (next === 'r') out.push(0x0d);
    else if (next === 'n') out.push(0x0a);
    else if (next === 't') out.push(0x09);
    else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(next, 'utf8'));
  }
  return Buffer.from(out);
}

function endsExchange(event: HostEvent): boolean {
  return event.type === 'final' || event.type === 'prompt';
}

export async function runAt(given: AtOptions, streams: AtStreams): Promise<void> {
  if (given.protocol === 'nina') {
    throw new Error('copro at speaks ESP-AT only; a NINA module takes binary frames: use nc, scan, join, ifconfig or repl with --protocol nina');
  }
  const opts = await withConfigLoaded(given);
  const port = await openHostPort(opts.device, { baudRate: opts.baud, record: opts.record, ...(opts.emulator ? { emulator: opts.emulator } : {}) });
  const decoder = new AtDialogueDecoder();
  const tty = streams.stdout.isTTY === true;
  const rl = readline.createInterface({ input: streams.stdin, output: streams.stdout, terminal: tty, historySize: 500, prompt: '' });
  const queue: string[] = [];
  let awaitingPayload = false;
  let inFlight: NodeJS.Timeout | null = null;
  let inputDone = false;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const show = (text: string): void => {
    if (tty) streams.stdout.write(`\r\x1b[K${text}\n`);
    else streams.stdout.write(`${text}\n`);
    if (tty) rl.prompt(true);
  };
  const view = new DialogueView((event) => show(formatForTerminal(event)));
  let echoWait: NodeJS.Timeout | null = null;
  const display = (events: readonly DialogueEvent[]): void => {
    for (const event of events) view.push(event, 0);
    if (echoWait) clearTimeout(echoWait);
    echoWait = view.holding ? setTimeout(() => view.flush(), ECHO_WAIT_MS) : null;
  };
  const sendNext = (): void => {
    if (inFlight) return;
    const line = queue.shift();
    if (line === undefined) {
      if (inputDone) finish();
      return;
    }
    const bytes = awaitingPayload ? unescapePayload(line) : Buffer.from(`${line}\r\n`, 'utf8');
    awaitingPayload = false;
    inFlight = setTimeout(() => {
      inFlight = null;
      sendNext();
    }, opts.wait);
    display(decoder.host(bytes));
    port.write(bytes).catch((err: Error) => show(`! write failed: ${err.message}`));
  };

  port.onData((bytes) => {
    const events = decoder.module(bytes);
    display(events);
    for (const event of events) {
      if (event.kind !== 'reply') continue;
      if (event.event.type === 'prompt') awaitingPayload = true;
      if (endsExchange(event.event) && inFlight) {
        clearTimeout(inFlight);
        inFlight = null;
        sendNext();
      }
    }
  });
  port.onClose((err) => {
    show(`! the port closed${err ? `: ${err.message}` : ''}`);
    inputDone = true;
    queue.length = 0;
    finish();
  });
  rl.on('line', (line) => {
    // The typed line is shown again once, by the dialogue view, with its echo mark.
    if (tty) streams.stdout.write('\x1b[1A\r\x1b[K');
    queue.push(line);
    sendNext();
  });
  rl.on('close', () => {
    inputDone = true;
    if (!inFlight && queue.length === 0) finish();
  });
  rl.on('SIGINT', () => rl.close());
  if (tty) {
    streams.stdout.write(`copro at: ${port.path} — type AT commands; Ctrl-D or Ctrl-C to quit\n`);
    rl.prompt();
  }
  try {
    await finished;
  } finally {
    if (inFlight) clearTimeout(inFlight);
    if (echoWait) clearTimeout(echoWait);
    view.flush();
    rl.close();
    await port.close();
  }
}

function parseMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected milliseconds');
  return n;
}

export function registerAt(program: Command): void {
  withDeviceOptions(
    program
      .command('at')
      .description('raw AT terminal on a module: line editing and history, escaped output, URCs marked')
      .option('--wait <ms>', 'longest wait for a final result before sending the next line', parseMs, 30_000),
  ).action(async (opts: AtOptions) => {
    try {
      await runAt(opts, { stdin: process.stdin, stdout: process.stdout });
      process.exit(0);
    } catch (err) {
      reportAndExit(err);
    }
  });
}
