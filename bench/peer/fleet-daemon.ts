/**
 * The fleet: one daemon process running many emulated modules at once, each on its own PTY
 * (unpaced), as one `copro` host would serve a rack of virtual boards. Speaks JSON lines like
 * module-peer.ts.
 *
 *   node fleet-daemon.js N
 *
 * First event: {"event":"ready","paths":["/dev/pts/…", …]} once all N have booted.
 * {"cmd":"stats"} → {"event":"stats","rss":B,"peakRss":B,"heapUsed":B} (peak = VmHWM from
 * /proc/self/status: the high-water mark of this process's resident set); {"cmd":"quit"}.
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import { DEFAULT_WORLD, type WorldConfig } from '../../emulator/world-config.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openUartLine } from '../../emulator/transport/uart-line-transport.js';
import type { ModuleTransport } from '../../emulator/transport/types.js';

const WORLD: WorldConfig = { ...DEFAULT_WORLD, timing: { ...DEFAULT_WORLD.timing, scale: 0.1 } };

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** VmHWM (peak resident set) in bytes, or null where /proc is not there. */
function peakRss(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 64);
  if (!Number.isInteger(count) || count < 1) throw new Error(`bad module count ${process.argv[2]}`);
  const modules: { transport: ModuleTransport; emulator: RunningEmulator }[] = [];
  for (let i = 0; i < count; i++) {
    const transport = await openUartLine(await openPtyTransport(), { lenientBaud: true });
    const emulator = await startEmulator({ transport, world: WORLD });
    modules.push({ transport, emulator });
  }
  await Promise.all(modules.map((m) => m.emulator.ready));
  emit({ event: 'ready', paths: modules.map((m) => m.transport.address) });

  const lines = readline.createInterface({ input: process.stdin });
  for await (const text of lines) {
    const command = JSON.parse(text) as { cmd: string };
    if (command.cmd === 'quit') break;
    if (command.cmd === 'stats') {
      const memory = process.memoryUsage();
      emit({ event: 'stats', rss: memory.rss, peakRss: peakRss() ?? memory.rss, heapUsed: memory.heapUsed });
    }
  }
  for (const m of modules) {
    await m.emulator.close();
    await m.transport.close();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
