/**
 * `copro emulate --modules N` (or a world file's `modules`): N virtual ESP-AT modules in one daemon,
 * each on its own PTY, sharing one radio air (emulator/modules.ts): each sees and can join the
 * others' softAPs, and their traffic on a softAP's network goes module to module.
 */
import { startModules } from '../../emulator/modules.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openUartLine } from '../../emulator/transport/uart-line-transport.js';
import type { ModuleTransport } from '../../emulator/transport/types.js';
import { createTracer, NULL_TRACER } from '../../emulator/trace.js';
import { MAX_MODULES, type WorldConfig } from '../../emulator/world-config.js';
import { PROFILES } from '../../firmware-protocol/at/profiles.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';

export interface ModulesCliOptions {
  readonly modules?: number;
  readonly link?: string;
  readonly baud: number;
  readonly profile: ProfileId;
  readonly trace?: boolean;
  readonly pace?: boolean;
}

/** The module count: `--modules`, else the world's `modules`, else 1; the two must agree when both are given. */
export function moduleCountOf(requested: number | undefined, world: WorldConfig): number {
  const listed = world.modules?.length;
  if (requested !== undefined && listed !== undefined && requested !== listed) {
    throw new Error(`--modules ${requested} but the world file lists ${listed} modules`);
  }
  const count = requested ?? listed ?? 1;
  if (count > MAX_MODULES) throw new Error(`at most ${MAX_MODULES} modules in one daemon`);
  return count;
}

/** Where module `index`'s PTY is published with --link: the path itself for the first, `<path><n>` for module n. */
export function moduleLink(link: string | undefined, index: number): string | undefined {
  return link === undefined || index === 0 ? link : `${link}${index + 1}`;
}

/** Runs the modules until SIGINT/SIGTERM. */
export async function runModules(opts: ModulesCliOptions, world: WorldConfig, count: number): Promise<void> {
  const transports: ModuleTransport[] = [];
  const closeAll = async (): Promise<void> => {
    for (const transport of transports) await transport.close();
  };
  try {
    for (let index = 0; index < count; index++) {
      const pty = await openPtyTransport({ link: moduleLink(opts.link, index), baudRate: opts.baud });
      const tracer = opts.trace ? createTracer(process.stderr, { label: `module ${index + 1}` }) : NULL_TRACER;
      transports.push(await openUartLine(pty, { pace: opts.pace, defaultBaudRate: opts.baud, note: (text) => tracer.note(text) }));
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const modules = await startModules({
    world,
    count,
    transports,
    profile: opts.profile,
    ...(opts.trace ? { trace: process.stderr } : {}),
  }).catch(async (error: unknown) => {
    await closeAll();
    throw error;
  });
  await Promise.all(modules.map((module) => module.ready));
  const title = PROFILES[opts.profile].title;
  const lines = modules.map(
    (module, index) => `copro: module ${index + 1} of ${count}: ${title} on ${module.transport.address} · station MAC ${module.world.station.mac}`,
  );
  process.stdout.write(
    `${lines.join('\n')}\n` +
      'copro: the modules share the air: AT+CWMODE=2 and AT+CWSAP on one, AT+CWLAP and AT+CWJAP on another (Ctrl-C stops)\n',
  );
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void (async () => {
        for (const module of modules) await module.close();
        await closeAll();
        resolve();
      })();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
