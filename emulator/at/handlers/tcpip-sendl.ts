import { isIPv4 } from 'node:net';
import { okPrompt } from '../../../firmware-protocol/at/module-output.js';
import { SENDL_DEFAULTS } from '../../../firmware-protocol/at/commands/tcpip-sendl.js';
import { StackError } from '../../network/types.js';
import { linkIdOf, type Handler, type Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import { SendLong, type SendLongConfig } from '../send-long.js';

/** AT+CIPSENDL and AT+CIPSENDLCFG (normal transmission mode; the session is send-long.ts). */

/** AT+CIPSENDLCFG's values for this boot (RAM; the docs name no saving). */
const configs = new WeakMap<ModuleCore, { readonly epoch: number; config: SendLongConfig }>();

function configOf(core: ModuleCore): SendLongConfig {
  const held = configs.get(core);
  if (held && held.epoch === core.epoch) return held.config;
  const config = { ...SENDL_DEFAULTS };
  configs.set(core, { epoch: core.epoch, config });
  return config;
}

const sendLongSet: Handler<'CIPSENDL', 'set'> = (core, call) => {
  if (core.settings.volatile.cipMode === 1) return core.error('exec-failed');
  const id = linkIdOf(call.params);
  const { length, remote_host: host, remote_port: port } = call.params;
  const link = core.links.get(id);
  if (!link || link.peerClosed) return core.error('exec-failed', 'invalidLink');
  if (host !== undefined && link.type !== 'UDP') return core.error('exec-failed');
  const send = async (bytes: Uint8Array): Promise<void> => {
    if (core.links.get(link.id) !== link || link.peerClosed) throw new StackError('closed', 'link is gone');
    if (host === undefined || port === undefined) return link.vlink.send(bytes);
    const ip = isIPv4(host) ? host : await core.stack.resolve(host);
    return link.vlink.sendTo(bytes, { ip, port });
  };
  const session = new SendLong(core, link, configOf(core), send, (hadSent, received) =>
    core.reply(call, 'progress', { had_sent_len: hadSent, port_recv_len: received }, { links: [id] }),
  );
  core.write(okPrompt(core.profile), [id]);
  core.streamData(length, (bytes) => session.receive(bytes), () => session.finish());
};

export const TCPIP_SENDL_HANDLERS = {
  CIPSENDL: { set: sendLongSet },
  CIPSENDLCFG: {
    query: (core, call) => {
      const { reportSize, transmitSize } = configOf(core);
      core.reply(call, 'config', { report_size: reportSize, transmit_size: transmitSize });
      core.ok();
    },
    set: (core, call) => {
      const { report_size, transmit_size } = call.params;
      configs.set(core, { epoch: core.epoch, config: { reportSize: report_size, transmitSize: transmit_size ?? configOf(core).transmitSize } });
      core.ok();
    },
  },
} satisfies Handlers;
