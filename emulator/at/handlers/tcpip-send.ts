import { isIPv4 } from 'node:net';
import { finalResult, okPrompt, recvBytes } from '../../../firmware-protocol/at/module-output.js';
import { StackError, type Endpoint } from '../../network/types.js';
import { linkIdOf, type Handler, type Handlers } from '../handler-types.js';
import type { Link } from '../link-table.js';
import type { ModuleCore } from '../module-core.js';
import { enterPassthrough } from '../passthrough-control.js';
import { serverPassthroughAllowed } from './tcpip-config.js';

/** AT+CIPSEND / AT+CIPSENDEX (normal mode) and AT+CIPSEND exec (enter passthrough). */

interface Destination {
  readonly host: string;
  readonly port: number;
}

async function hand(core: ModuleCore, link: Link, bytes: Uint8Array, to: Destination | null): Promise<void> {
  if (core.links.get(link.id) !== link || link.peerClosed) throw new StackError('closed', 'link is gone');
  if (to === null) return link.vlink.send(bytes);
  const ip = isIPv4(to.host) ? to.host : await core.stack.resolve(to.host);
  const target: Endpoint = { ip, port: to.port };
  return link.vlink.sendTo(bytes, target);
}

/**
 * The payload is complete: `Recv N bytes`, then SEND OK once the stack took it (SEND FAIL if the
 * link is gone or the stack refused). The module stays busy meanwhile.
 */
async function deliver(core: ModuleCore, link: Link, bytes: Uint8Array, to: Destination | null): Promise<void> {
  const epoch = core.epoch;
  core.write(recvBytes(bytes.length), [link.id]);
  try {
    await hand(core, link, bytes, to);
  } catch (error) {
    if (!core.isCurrent(epoch)) return;
    core.tracer.note(`send of ${bytes.length} bytes failed: ${(error as Error).message}`, link.id);
    core.write(finalResult('SEND FAIL'), [link.id]);
    return;
  }
  if (core.isCurrent(epoch)) core.write(finalResult('SEND OK'), [link.id]);
}

const sendSet =
  (sendEx: boolean): Handler<'CIPSEND' | 'CIPSENDEX', 'set'> =>
  (core, call) => {
    // In passthrough mode (CIPMODE=1) only the exec form exists.
    if (core.settings.volatile.cipMode === 1) return core.error('exec-failed');
    const id = linkIdOf(call.params);
    const { length, remote_host: host, remote_port: port } = call.params;
    if (length < 1 || length > core.profile.limits.maxSendLength) return core.error('param-invalid');
    const link = core.links.get(id);
    if (!link || link.peerClosed) return core.error('exec-failed', 'invalidLink');
    // An explicit destination only makes sense for UDP ("unmatched type and remote host").
    if (host !== undefined && link.type !== 'UDP') return core.error('exec-failed');
    const to = host !== undefined && port !== undefined ? { host, port } : null;
    core.write(okPrompt(core.profile), [id]);
    core.expectData(length, sendEx, (bytes) => deliver(core, link, bytes, to));
  };

/**
 * `AT+CIPSEND` alone: transparent transmission (CIPMODE=1) on the single link (CIPMUX=0), or with
 * CIPMUX=1 on the one client of a server limited to one connection.
 */
const sendExec: Handler<'CIPSEND', 'exec'> = (core) => {
  const link = core.mux ? (serverPassthroughAllowed(core) ? core.links.all().find((one) => one.accepted) : undefined) : core.links.get(0);
  if (core.settings.volatile.cipMode !== 1 || !link || link.peerClosed) {
    return core.error('exec-failed');
  }
  if (link.type === 'SSL' && !core.profile.ssl.passthrough) {
    core.tracer.note(`${core.profile.title} has no transparent transmission over SSL`);
    return core.error('exec-failed');
  }
  core.write(okPrompt(core.profile), [link.id]);
  enterPassthrough(core, link);
};

export const TCPIP_SEND_HANDLERS = {
  CIPSEND: { set: sendSet(false), exec: sendExec },
  CIPSENDEX: { set: sendSet(true) },
} satisfies Handlers;
