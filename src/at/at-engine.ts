/**
 * What the parts of the ESP-AT back end share: one AtClient, the link id table, the server,
 * the firmware facts of this session. AtBackend (at-backend.ts) owns all of it and hands this
 * view to the link opener, the message router and transparent mode, so each lives in a file of
 * its own without reaching into the others.
 */
import type { Clock } from '../clock.js';
import type { OSError } from '../errors.js';
import type { AtClient, AtReply, AtRequest } from './at-client.js';
import type { LinkIo } from './at-link.js';
import type { AtServer } from './at-server.js';
import type { AtWlan } from './at-wlan.js';
import type { LinkIds } from './link-ids.js';
import type { PassiveReader } from './passive-reader.js';
import type { AtRequests } from './requests.js';
import type { SessionFacts } from './sync.js';
import type { TraceSink } from './trace.js';

export interface AtEngine {
  readonly client: AtClient;
  readonly ids: LinkIds;
  readonly requests: AtRequests;
  /** Null until the first synchronisation. */
  readonly facts: SessionFacts | null;
  readonly server: AtServer | null;
  readonly io: LinkIo;
  readonly reader: PassiveReader;
  readonly wlan: AtWlan;
  readonly trace: TraceSink | undefined;
  /** The driver's time base (src/clock.ts). */
  readonly clock: Clock;
  /** Why the whole back end is unusable (closed, port gone); null while it works. */
  readonly closed: OSError | null;
  /** A command of the public API: waits for synchronisation, refused while a link owns the module. */
  command(request: AtRequest): Promise<AtReply>;
  /** Resolves once the module is synchronised (rejects when it cannot be). */
  synced(): Promise<void>;
  /** `<id>,CONNECT` that is not ours: a client of our server. */
  clientArrived(id: number): void;
}
