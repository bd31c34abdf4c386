/**
 * `copro fault`: talks to a running `copro emulate` over its control channel — fire a fault now,
 * arm one, list the plan, clear it, reseed it. Nothing here touches the module's files.
 */
import type { Command } from 'commander';
import { liveDaemons, resolveControlTarget, sendControlRequest } from '../../emulator/control/control-client.js';
import { describeEndpoint } from '../../emulator/control/control-endpoint.js';
import type { ControlRequest, ControlResponse, StatusView } from '../../emulator/control/control-protocol.js';
import { stateDirPath } from '../../emulator/control/state-dir.js';
import { FAULT_KINDS, KIND_INFO } from '../../emulator/faults/fault-spec.js';
import { parseSeed } from './emulate-faults.js';

interface FaultOptions {
  target?: string;
  list?: boolean;
  clear?: boolean;
  seed?: number;
  targets?: boolean;
  timeout: number;
}

function requestFor(specs: string[], opts: FaultOptions): ControlRequest {
  const modes = [opts.list, opts.clear, opts.seed !== undefined].filter(Boolean).length;
  if (modes > 1) throw new Error('choose one of --list, --clear and --seed');
  if (opts.list) {
    if (specs.length > 0) throw new Error('--list takes no faults');
    return { op: 'list' };
  }
  if (opts.clear) return specs.length === 0 ? { op: 'clear' } : { op: 'clear', kinds: specs };
  if (opts.seed !== undefined) {
    if (specs.length > 0) throw new Error('--seed takes no faults');
    return { op: 'seed', seed: opts.seed };
  }
  if (specs.length === 0) throw new Error('name a fault (e.g. `copro fault reset`), or --list / --clear / --seed; see --help');
  return { op: 'fault', specs };
}

/** The plan as a person reads it. */
export function formatStatus(response: ControlResponse & { ok: true }): string {
  const lines: string[] = [];
  const module = response.module;
  const status: StatusView | undefined = response.status;
  if (module) lines.push(`${module.name} · ${module.address} · ${module.profile} · pid ${module.pid}`);
  if (status) {
    lines.push(`seed ${status.seed}`);
    if (status.armed.length === 0) lines.push('nothing armed');
    const width = Math.max(0, ...status.armed.map((fault) => fault.spec.length));
    for (const fault of status.armed) {
      const kind = fault.spec.split('@')[0] as keyof typeof KIND_INFO;
      const per = KIND_INFO[kind]?.opportunity ?? 'opportunity';
      lines.push(`  ${fault.spec.padEnd(width)}  fired ${fault.fired}${fault.opportunities > 0 ? ` in ${fault.opportunities} ${per === 'byte' ? 'bytes' : `${per}s`}` : ''}${fault.spent ? ' (spent)' : ''}`);
    }
    const injected = Object.entries(status.injected).filter(([, count]) => count > 0);
    lines.push(`injected: ${injected.length === 0 ? 'nothing yet' : injected.map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
  }
  return lines.join('\n');
}

function formatResponse(response: ControlResponse): string {
  if (!response.ok) throw new Error(response.error);
  if (response.results) return response.results.join('\n');
  if (response.cleared) return response.cleared.length === 0 ? 'nothing was armed' : `cleared ${response.cleared.join(' ')}`;
  return formatStatus(response);
}

async function runFault(specs: string[], opts: FaultOptions): Promise<void> {
  if (opts.targets) {
    const dir = stateDirPath();
    const names = await liveDaemons(dir);
    process.stdout.write(names.length === 0 ? `no running copro emulate in ${dir}\n` : `${names.join('\n')}\n`);
    return;
  }
  const request = requestFor(specs, opts);
  const endpoint = await resolveControlTarget(opts.target);
  const response = await sendControlRequest(endpoint, request, opts.timeout);
  const text = formatResponse(response);
  process.stdout.write(`${text || `ok (${describeEndpoint(endpoint)})`}\n`);
}

export function registerFault(program: Command): void {
  program
    .command('fault')
    .description('inject faults into a running `copro emulate` (fire now, arm, list, clear, reseed)')
    .argument('[faults...]', `KIND[@TRIGGER][:PARAMS] — kinds: ${FAULT_KINDS.join(', ')}; with --clear: kinds to clear`)
    .option('--target <daemon>', 'daemon name (copro emulate --name), control socket path or [HOST:]PORT; default: the only one running')
    .option('--list', 'show the armed faults, what they did, and the seed')
    .option('--clear', 'disarm the named kinds (all when none named)')
    .option('--seed <n>', 'restart every armed fault with random streams from this seed', parseSeed)
    .option('--targets', 'list the daemons running in the state directory')
    .option('--timeout <ms>', 'how long to wait for the daemon', (value) => Number(value), 5000)
    .addHelpText(
      'after',
      `
Triggers: 0.01 | 1% | 1/500 (per opportunity), #N (the N-th, once), 2s | 5s..20s (after a time; * repeats), now (default for
reset, busy-p, busy-s, wifi-drop, tcp-reset, stall). Examples:
  copro fault reset                      reset the module now (ready, links gone)
  copro fault wifi-drop:rejoin=3s        lose the AP now, rejoin after 3 s
  copro fault busy-p@0.2 corrupt@1/2000:dir=out
  copro fault --clear busy-p
See docs/reliability.md.`,
    )
    .action(async (faults: string[], opts: FaultOptions) => runFault(faults, opts));
}
