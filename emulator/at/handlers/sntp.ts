import { asctimeText, shownTimezone, timezoneOffsetMinutes } from '../../../firmware-protocol/sntp.js';
import type { Handler, Handlers } from '../handler-types.js';
import { configureSntp, setSntpInterval, sntpState } from '../sntp-client.js';

/** AT+CIPSNTPCFG, AT+CIPSNTPTIME, AT+CIPSNTPINTV (TCP-IP_AT_Commands.rst v2.4; client in sntp-client.ts). */

const configSet: Handler<'CIPSNTPCFG', 'set'> = (core, call) => {
  const { enable, timezone, server1, server2, server3 } = call.params;
  if (call.variant === 'nonos') {
    // NonOS: 0 alone (it clears the servers), 1 with whole hours; the servers given or its three.
    if (enable === 0 && timezone !== undefined) return core.error();
    if (enable === 1 && timezone === undefined) return core.error();
  }
  if (enable === 0) {
    configureSntp(core, false, sntpState(core).offsetMinutes, []);
    return core.ok();
  }
  const offset = timezone === undefined ? null : timezoneOffsetMinutes(timezone);
  if (offset === null) return core.error('param-invalid');
  const given = [server1, server2, server3].filter((server): server is string => server !== undefined && server !== '');
  configureSntp(core, true, offset, given.length > 0 ? given : core.profile.defaults.sntpServers);
  core.ok();
};

const configQuery: Handler<'CIPSNTPCFG', 'query'> = (core, call) => {
  const state = sntpState(core);
  // NonOS prints `0` when no server is named, whatever else was set.
  if (call.variant === 'nonos' ? state.servers.length === 0 : !state.enabled) {
    core.reply(call, 'config', { enable: 0 });
    return core.ok();
  }
  const [server1, server2, server3] = state.servers;
  core.reply(call, 'config', {
    enable: 1,
    timezone: shownTimezone(state.offsetMinutes),
    ...(server1 === undefined ? {} : { server1 }),
    ...(server2 === undefined ? {} : { server2 }),
    ...(server3 === undefined ? {} : { server3 }),
  });
  core.ok();
};

const timeQuery: Handler<'CIPSNTPTIME', 'query'> = (core, call) => {
  const state = sntpState(core);
  if (call.variant === 'nonos') {
    // NonOS prints sntp_get_current_timestamp(): 0 (the epoch, standing still) until a server answered.
    core.reply(call, 'time', { time: asctimeText(state.synced ? core.time.nowMs() : 0, state.synced ? state.offsetMinutes : 0, '0') });
    return core.ok();
  }
  core.reply(call, 'time', { time: asctimeText(core.time.nowMs(), state.offsetMinutes) });
  core.ok();
};

export const SNTP_HANDLERS = {
  CIPSNTPCFG: { set: configSet, query: configQuery },
  CIPSNTPTIME: { query: timeQuery },
  CIPSNTPINTV: {
    set: (core, call) => {
      setSntpInterval(core, call.params.interval_second);
      core.ok();
    },
    query: (core, call) => {
      core.reply(call, 'interval', { interval_second: sntpState(core).intervalSec });
      core.ok();
    },
  },
} satisfies Handlers;
