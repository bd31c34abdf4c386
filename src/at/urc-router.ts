/**
 * Unsolicited messages, routed the moment the AtClient parses them: link events (`<id>,CONNECT`,
 * `<id>,CLOSED`, `+IPD` notices and active-mode data) to the links and the server, station
 * events to the WLAN. A `CONNECT` for an id we did not start is a client of our server.
 */
import { bestEffort } from '../best-effort.js';
import type { RemoteInfo, Urc } from '../../firmware-protocol/at/types.js';
import type { AtEngine } from './at-engine.js';
import { AtLink } from './at-link.js';
import { linkStates } from './replies.js';

export class UrcRouter {
  constructor(private readonly engine: AtEngine) {}

  onUrc(urc: Urc): void {
    const { ids } = this.engine;
    switch (urc.kind) {
      case 'connect':
        if (urc.link === null) return;
        if (ids.isStarting(urc.link)) ids.noteConnectWhileStarting(urc.link);
        else this.clientArrived(urc.link);
        return;
      case 'closed': {
        if (urc.link === null || ids.isStarting(urc.link)) return;
        const link = ids.get(urc.link);
        if (!link || link.state === 'closed') return;
        link.peerClosed();
        // Passive mode: data still buffered in the module stays readable (peers.md E3).
        if (!this.engine.facts?.passive || link.pending === 0) ids.release(urc.link, link);
        return;
      }
      case 'ipd-notice':
        if (urc.link !== null) ids.get(urc.link)?.noticed(urc.length);
        return;
      case 'wifi-connected':
      case 'wifi-got-ip':
      case 'wifi-disconnect':
        this.engine.wlan.onUrc(urc);
        return;
      default:
        return;
    }
  }

  onIpd(id: number | null, data: Uint8Array, remote: RemoteInfo | null): void {
    if (id === null) return;
    this.engine.ids.get(id)?.deliver(data, remote ? { ip: remote.ip, port: remote.port } : null, true);
  }

  /** `<id>,CONNECT` that is not ours: a client of our server. */
  clientArrived(id: number): void {
    const { ids, requests } = this.engine;
    const previous = ids.get(id);
    if (previous) {
      // The module reused the id of a link it had closed: that link's leftovers are gone.
      previous.pendingAfterRead(0);
      ids.release(id, previous);
    }
    const server = this.engine.server;
    if (!server) {
      void bestEffort(this.engine.command(requests.close(id)), this.engine.trace, `closing link ${id} (a client with no server)`);
      return;
    }
    const link = new AtLink(id, 'tcp', null, this.engine.io);
    ids.set(id, link);
    // accept() returns the client's address: ask the module before offering the client.
    void this.engine
      .command(requests.linkStates())
      .then((reply) => {
        const state = linkStates(requests.profile, reply).find((s) => s.link === id);
        if (state) link.learnRemote({ ip: state.ip, port: state.remotePort });
      })
      .catch((err: unknown) => this.engine.trace?.(`! the address of client ${id} is unknown: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        if (link.remote === null) link.learnRemote({ ip: '0.0.0.0', port: 0 });
        if (this.engine.server === server && !server.closed) server.enqueue(link);
        else void link.close();
        this.engine.reader.wantData();
      });
  }
}
