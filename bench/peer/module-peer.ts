/**
 * The module side of a benchmark, in its own process (as `copro emulate` is a process of its
 * own next to the host's program). Speaks JSON lines: commands on stdin, events on stdout.
 *
 *   node module-peer.js raw     PTY transport alone, no protocol: source / sink / echo
 *   node module-peer.js paced   the same PTY behind the UART line model with pacing on: source
 *   node module-peer.js at      the emulator (AT front end) on the PTY behind the line model, unpaced
 *   node module-peer.js at-paced  the same with pacing on (`copro emulate --pace`): the driver benchmarks at line rate
 *
 * First event: {"event":"ready","path":"/dev/pts/N"}.
 * Commands: {"cmd":"source","bytes":N} → N bytes to the host as fast as the line takes them,
 * then {"event":"sourced","dropped":D}; {"cmd":"sink","bytes":N} → {"event":"sunk"} once N
 * bytes arrived (acknowledged at once with {"event":"sinking"}); {"cmd":"echo"} → from now on
 * every 4 bytes in are answered with 6 bytes (`AT\r\n` → `\r\nOK\r\n`, the same sizes as the AT
 * round trip), acknowledged with {"event":"echoing"}; {"cmd":"state"} → {"event":"state",
 * "lineRate":R} (the rate the line model runs at, once it has seen the host's termios);
 * {"cmd":"quit"}.
 */
import * as readline from 'node:readline';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openUartLine, type UartLineTransport } from '../../emulator/transport/uart-line-transport.js';
import type { ModuleTransport } from '../../emulator/transport/types.js';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import { benchPattern } from '../lib/host-port.js';
import { DEFAULT_WORLD, type WorldConfig } from '../../emulator/world-config.js';

/** The default world with joins 10× faster: the driver benchmarks join before measuring. */
const BENCH_WORLD: WorldConfig = { ...DEFAULT_WORLD, timing: { ...DEFAULT_WORLD.timing, scale: 0.1 } };

type Mode = 'raw' | 'paced' | 'at' | 'at-paced';

interface Command {
  readonly cmd: 'source' | 'sink' | 'echo' | 'state' | 'quit';
  readonly bytes?: number;
}

const OK = Buffer.from('\r\nOK\r\n');
const SOURCE_CHUNK = 16 * 1024;

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the line busy without overrunning its bounded queue (the firmware waits for FIFO room the same way). */
async function source(transport: ModuleTransport, total: number, paced: boolean): Promise<void> {
  const data = benchPattern(Math.min(total, 1024 * 1024));
  const droppedBefore = transport.droppedBytes();
  let sent = 0;
  while (sent < total) {
    const room = paced ? 32 * 1024 - transport.pendingBytes() : 48 * 1024 - transport.pendingBytes();
    if (room >= SOURCE_CHUNK) {
      const n = Math.min(SOURCE_CHUNK, total - sent);
      const offset = sent % data.length;
      transport.write(data.subarray(offset, Math.min(offset + n, data.length)));
      sent += Math.min(n, data.length - offset);
      continue;
    }
    // Paced: a few ms of line time is far less than what is queued. Unpaced: wait for the kernel to take it.
    if (paced) await sleep(2);
    else await transport.drained();
  }
  emit({ event: 'sourced', dropped: transport.droppedBytes() - droppedBefore });
}

async function main(): Promise<void> {
  const mode = process.argv[2] as Mode;
  if (!['raw', 'paced', 'at', 'at-paced'].includes(mode)) throw new Error(`unknown peer mode ${String(mode)}`);
  const pty = await openPtyTransport();
  const line: UartLineTransport | null = mode === 'raw' ? null : await openUartLine(pty, { pace: mode === 'paced' || mode === 'at-paced', lenientBaud: true }); // follows the bench host's rate
  const transport: ModuleTransport = line ?? pty;
  let emulator: RunningEmulator | null = null;
  let onData: (bytes: Buffer) => void = () => undefined;
  if (mode === 'at' || mode === 'at-paced') {
    emulator = await startEmulator({ transport, world: BENCH_WORLD });
    await emulator.ready;
    await transport.drained();
  } else {
    transport.setSink({ onData: (bytes) => onData(bytes) });
  }
  emit({ event: 'ready', path: pty.address });

  const quit = async (): Promise<void> => {
    await emulator?.close();
    await transport.close();
    process.exit(0);
  };
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('close', () => void quit());
  for await (const text of lines) {
    const command = JSON.parse(text) as Command;
    if (command.cmd === 'quit') break;
    if (command.cmd === 'source') {
      void source(transport, command.bytes ?? 0, mode === 'paced');
    } else if (command.cmd === 'sink') {
      const want = command.bytes ?? 0;
      let got = 0;
      // bytes 0: just discard input (ends echo mode).
      onData = (bytes) => {
        if (want === 0) return;
        got += bytes.length;
        if (got >= want) {
          onData = () => undefined;
          emit({ event: 'sunk', bytes: got });
        }
      };
      emit({ event: 'sinking' });
    } else if (command.cmd === 'echo') {
      let pending = 0;
      onData = (bytes) => {
        pending += bytes.length;
        while (pending >= 4) {
          pending -= 4;
          transport.write(OK);
        }
      };
      emit({ event: 'echoing' });
    } else if (command.cmd === 'state') {
      emit({ event: 'state', lineRate: line?.lineState().lineRate ?? null });
    }
  }
  await quit();
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
