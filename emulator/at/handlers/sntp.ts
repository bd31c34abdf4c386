import { asctimeText, shownTimezone, timezoneOffsetMinutes } from '../../../firmware-protocol/sntp.js';
import type { Handler, Handlers } from '../handler-types.js';
import { configureSntp, setSntpInterval, sntpState } from '../sntp-client.js';

/** AT+CIPSNTPCFG, AT+CIPSNTPTIME, AT+CIPSNTPINTV (TCP-IP_AT_Commands.rst v2.4; client in sntp-client.ts). */

const configSet: Handler<'CIPSNTPCFG', 'set'> = (core, call) => {
  const { enable, timezone, server1, server2, server3 } = call.params;
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
  if (!state.enabled) {
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
  core.reply(call, 'time', { time: asctimeText(core.time.nowMs(), sntpState(core).offsetMinutes) });
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
