/**
 * `copro replay FILE (--pty [--link PATH] | --listen [HOST:]PORT)`: a transcript's module side
 * played to a host program, which must send what the transcript says (src/replay/replayer.ts).
 * Exits 0 when the whole transcript played, 1 with a report of where the host deviated.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openTcpTransport } from '../../emulator/transport/tcp-transport.js';
import { parseListenSpec } from '../../emulator/transport/listen-spec.js';
import type { ModuleTransport } from '../../emulator/transport/types.js';
import { escapeBytes } from '../../src/at/trace.js';
import { Replayer } from '../../src/replay/replayer.js';
import type { ReplayOutcome, ReplayTiming } from '../../src/replay/replayer.js';
import { parseTranscript } from '../../src/transcript/reader.js';
import { ReplayScript } from '../../src/transcript/replay-script.js';
import type { Deviation, MatchMode } from '../../src/transcript/replay-script.js';
import { onSignals } from '../../src/tools/cli-device.js';
import { reportAndExit } from '../fail.js';

interface ReplayCliOptions {
  readonly pty?: boolean;
  readonly link?: string;
  readonly listen?: string;
  readonly timing: ReplayTiming;
  readonly match: MatchMode;
  readonly trace?: boolean;
}

/** How long the line stays open after the last reply, for the host to read it. */
const LINGER_MS = 1000;

/** Output bound of the host side: a whole recorded reply must fit while a slow host reads it. */
const QUEUE_BYTES = 4 * 1024 * 1024;

export function describeDeviation(file: string, deviation: Deviation): string {
  const where = deviation.transcriptLine === null ? '' : ` (${file} line ${deviation.transcriptLine})`;
  return `the host deviated from the transcript at host byte ${deviation.offset}${where}: expected "${deviation.expected}", got "${deviation.got}"`;
}

async function openSide(opts: ReplayCliOptions): Promise<ModuleTransport> {
  if (opts.listen && (opts.pty || opts.link)) throw new Error('choose one of --pty and --listen');
  if (opts.listen) {
    const { host, port } = parseListenSpec(opts.listen);
    return openTcpTransport({ host, port, maxQueuedBytes: QUEUE_BYTES });
  }
  return openPtyTransport({ link: opts.link, maxQueuedBytes: QUEUE_BYTES });
}

async function runReplay(file: string, opts: ReplayCliOptions): Promise<number> {
  const transcript = parseTranscript(await readFile(file, 'utf8'), file);
  const script = new ReplayScript(transcript, opts.match);
  // Hand-written transcripts carry no real times: their `t` only orders the records.
  const timing: ReplayTiming = transcript.header.clock === 'none' ? 'asap' : opts.timing;
  const transport = await openSide(opts);
  const replayer = new Replayer({
    transport,
    script,
    timing,
    onBytes: opts.trace ? (side, bytes) => process.stderr.write(`${side === 'host' ? 'host   >' : 'module <'} ${escapeBytes(bytes, 200)}\n`) : undefined,
  });
  process.stdout.write(`copro replay: ${file} on ${transport.address} · expecting ${script.expectedLength} host bytes · timing ${timing}, match ${opts.match}\n`);
  const interrupted = new Promise<null>((resolve) => {
    const stop = onSignals(() => {
      stop();
      resolve(null);
    });
  });
  const outcome: ReplayOutcome | null = await Promise.race([replayer.outcome, interrupted]);
  replayer.stop();
  // The last reply is in the kernel, not yet read: closing now would take it from the host.
  if (outcome?.kind === 'complete') await new Promise((resolve) => setTimeout(resolve, LINGER_MS));
  await transport.close();
  if (outcome === null) {
    process.stderr.write(`copro replay: stopped after ${script.receivedLength} of ${script.expectedLength} host bytes\n`);
    return 1;
  }
  if (outcome.kind === 'deviation') {
    process.stderr.write(`copro replay: ${describeDeviation(file, outcome.deviation)}\n`);
    return 1;
  }
  process.stderr.write(`copro replay: complete: ${outcome.hostBytes} host bytes matched, ${outcome.moduleBytes} module bytes played\n`);
  return 0;
}

export function registerReplay(program: Command): void {
  program
    .command('replay <file>')
    .description("play a transcript's module side to a host program, checking the host sends what the transcript says")
    .option('--pty', 'serve on a new pseudo-terminal (the default)')
    .option('--link <path>', 'also publish the PTY under this path (a symlink to /dev/pts/N)')
    .option('--listen <[host:]port>', 'serve serial-over-TCP (raw, pyserial socket://) instead')
    .addOption(new Option('--timing <how>', 'exact: the recorded gaps; asap: each reply as soon as the host has said its part').choices(['exact', 'asap']).default('exact'))
    .addOption(new Option('--match <how>', 'bytes: the host must send the same bytes; lines: line endings and empty lines may differ').choices(['bytes', 'lines']).default('bytes'))
    .option('--trace', 'print the bytes both ways on stderr as they pass')
    .addHelpText(
      'after',
      `
The module's bytes are played as recorded; each chunk waits until the host has sent everything
the transcript shows before it (however the host splits its writes). A host that deviates is
stopped at its first differing byte with a report: the offset in the host's stream, the
transcript line, what was expected and what came. Exit status 0 when the whole transcript
played, 1 otherwise. No network socket is opened: a capture of a real module becomes a test of
host code without hardware or network. The line stays open 1 s after the last reply. Bytes the
module printed before the host's first byte (a boot banner) are sent at once, so a host opening
the PTY later misses them as it would on a real line.

Example:
  copro replay session.jsonl --link /tmp/ttyREPLAY &
  my-host-program /tmp/ttyREPLAY
See docs/transcripts.md.`,
    )
    .action(async (file: string, opts: ReplayCliOptions) => {
      try {
        process.exit(await runReplay(file, opts));
      } catch (err) {
        reportAndExit(err);
      }
    });
}
