import { startEmulator } from '../../emulator/emulator.js';
import type { RunningNinaEmulator } from '../../emulator/nina/index.js';
import type { NetworkStackOptions } from '../../emulator/network/network-stack.js';
import type { WorldConfig } from '../../emulator/world-config.js';
import { ConnectionStatus } from '../../firmware-protocol/nina/index.js';
import { FAST_WORLD } from '../e2e/fixtures.js';
import type { ManualClock } from '../helpers/manual-clock.js';
import { NinaHostSession } from '../helpers/nina-host-session.js';

/** Resolves only names the test knows: no test ever asks the host's DNS. */
export const NO_DNS: NetworkStackOptions = {
  lookup: async (name) => {
    throw new Error(`test resolver: ${name} is unknown`);
  },
};

export interface NinaBench {
  readonly emulator: RunningNinaEmulator;
  readonly host: NinaHostSession;
  close(): Promise<void>;
}

/** An in-process NINA module (fast radio world, no real DNS) and a host session on its pair; on fake time given a clock. */
export async function startNinaBench(world: WorldConfig = FAST_WORLD, clock?: ManualClock): Promise<NinaBench> {
  const emulator = await startEmulator({ protocol: 'nina', world, network: NO_DNS, ...(clock ? { clock } : {}) });
  const link = emulator.host!;
  const host = new NinaHostSession({ write: (b) => link.write(b), onData: (l) => link.onData(l) }, clock);
  return { emulator, host, close: () => emulator.close() };
}

/** Joins the default world's AP; throws unless the module reports CONNECTED. */
export async function joinLab(host: NinaHostSession): Promise<void> {
  const status = await host.join('copro-lab', 'labpass123');
  if (status !== ConnectionStatus.CONNECTED) throw new Error(`join ended in status ${status}`);
}
