import { sysMsgLine } from '../../firmware-protocol/at/module-output.js';
import type { Link } from './link-table.js';
import type { ModuleCore } from './module-core.js';
import { stopPassthroughReconnect } from './passthrough-reconnect.js';
import { PassthroughSession } from './passthrough-session.js';

/** Switches the module into transparent transmission on `link` (after `\r\nOK\r\n\r\n>` was sent). */
export function enterPassthrough(core: ModuleCore, link: Pick<Link, 'id'>): void {
  core.parser.enterPassthrough();
  core.tracer.note(`passthrough on link ${link.id}`, link.id);
  const transport = core.transport;
  core.passthrough = new PassthroughSession({
    // The host is held back in its carrier while the link lags, never dropped.
    pauseInput: () => {
      core.tracer.note('passthrough: link behind, host input held back', link.id);
      transport.pauseInput();
    },
    resumeInput: () => {
      core.tracer.note('passthrough: link caught up, host input resumed', link.id);
      transport.resumeInput();
    },
    packetSize: core.profile.limits.passthroughPacketSize,
    clock: core.clock,
    send: async (data) => {
      // The link of the moment: a reconnection (or the server's next client) replaces a broken one.
      const current = core.links.get(link.id);
      if (!current) {
        core.tracer.note(`passthrough: ${data.length} bytes lost, the link is down`, link.id);
        return;
      }
      core.tracer.note(`passthrough: ${data.length} bytes to the link`, link.id);
      await current.vlink.send(data);
    },
    onExit: () => {
      leavePassthrough(core, '+++');
      // AT+SYSMSG bit 0: say so.
      if ((core.settings.current.sysMsg & 1) !== 0) core.write(sysMsgLine('quit', {}));
    },
  });
}

/** Back to command mode; the link stays open. */
export function leavePassthrough(core: ModuleCore, why: string): void {
  const session = core.passthrough;
  if (!session) return;
  core.passthrough = null;
  session.stop();
  stopPassthroughReconnect(core);
  core.parser.leavePassthrough();
  core.tracer.note(`passthrough left (${why})`);
}
