/**
 * A `<id>,CLOSED` lost on the line (a byte dropped or changed) would leave a link open forever on
 * our side while the module has forgotten it, and a blocking read would wait forever (peers.md
 * E16). While someone waits on a link, the module's own list of links (AT+CIPSTATE?, NonOS 1.7
 * AT+CIPSTATUS) is compared with ours every LINK_CHECK_MS: a link of ours the module no longer
 * lists is treated as closed by the peer — exactly what the lost message would have said — and
 * whatever the module still holds for it is read before EOF.
 */
import type { Clock } from '../clock.js';
import type { TraceSink } from './trace.js';
import type { AtReply, AtRequest } from './at-client.js';
import type { LinkIds } from './link-ids.js';
import { linkStates } from './replies.js';
import type { AtRequests } from './requests.js';

/** How often the module's link list is compared with ours while a reader waits. */
export const LINK_CHECK_MS = 3000;

export interface LinkCheckEngine {
  command(request: AtRequest): Promise<AtReply>;
  readonly requests: AtRequests;
  readonly ids: LinkIds;
  readonly clock: Clock;
  readonly trace?: TraceSink;
}

export class LinkCheck {
  private last: number;
  private running = false;

  constructor(private readonly engine: LinkCheckEngine) {
    this.last = engine.clock.now();
  }

  /** Compares the lists if the last comparison is LINK_CHECK_MS old. */
  maybe(): void {
    if (this.running || this.engine.clock.now() - this.last < LINK_CHECK_MS) return;
    const ours = this.engine.ids.all().filter((link) => link.state === 'open' && link.id !== null);
    this.last = this.engine.clock.now();
    if (ours.length === 0) return;
    this.running = true;
    this.engine
      .command(this.engine.requests.linkStates())
      .then((reply) => {
        if (reply.result !== 'OK') return;
        const listed = new Set(linkStates(this.engine.requests.profile, reply).map((state) => state.link));
        for (const link of ours) {
          const id = link.id;
          // Only links that were ours before the question and still are (no id reused meanwhile).
          if (id === null || listed.has(id) || link.state !== 'open' || this.engine.ids.get(id) !== link) continue;
          link.peerClosed();
          if (link.pending === 0) this.engine.ids.release(id, link);
        }
      })
      .catch((err: unknown) => this.engine.trace?.(`! link check failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.running = false;
        this.last = this.engine.clock.now();
      });
  }
}
