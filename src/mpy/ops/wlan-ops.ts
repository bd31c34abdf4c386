/**
 * network.WLAN's station operations on the driver's wlan (src/wlan.ts). A board's connect()
 * returns at once and the join goes on while the script runs; the driver's connect() waits for
 * the address, so here it runs in the background (status() and isconnected() follow it live) and
 * `wlan.wait` is what the WiPy's blocking connect(..., timeout=) waits on.
 */
import { errnoName, isOSError, osError } from '../../errors.js';
import type { IfconfigTuple, Wlan } from '../../wlan.js';
import type { OpTable } from './types.js';

function whyNot(failure: unknown): string {
  if (!isOSError(failure)) return String(failure);
  return failure.detail ? `${errnoName(failure.errno)}: ${failure.detail}` : errnoName(failure.errno);
}

/** `joined`: the network the module was already on when the script started (config('essid')). */
export function wlanOps(wlan: Wlan, joined: string | null): OpTable {
  let joining: Promise<unknown> | null = null;
  let joinFailure: unknown = null;
  let ssid: string | null = joined;
  let key: string | undefined;
  let active = true;
  let staticAddress = false;

  const settle = (attempt: Promise<void>): Promise<unknown> =>
    attempt.then(
      () => (joinFailure = null),
      (err: unknown) => (joinFailure = err),
    );

  return {
    'wlan.active': async ([flag]) => {
      if (flag === null || flag === undefined) return { value: active };
      if (!flag && wlan.isconnected()) await wlan.disconnect();
      active = Boolean(flag);
      return {};
    },
    'wlan.connect': async ([name, passphrase]) => {
      // connect() with no SSID joins the last network again, as the ESP32 port's does.
      if (typeof name === 'string') [ssid, key] = [name, typeof passphrase === 'string' ? passphrase : undefined];
      if (ssid === null) throw osError('EINVAL', 'no network to connect to: give an SSID');
      active = true;
      joinFailure = null;
      joining = settle(wlan.connect(ssid, key));
      return {};
    },
    'wlan.wait': async ([timeoutMs]) => {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        if (typeof timeoutMs === 'number' && timeoutMs >= 0) timer = setTimeout(() => resolve('expired'), timeoutMs);
      });
      const outcome = await Promise.race([joining ?? Promise.resolve(), expired]);
      clearTimeout(timer);
      if (outcome === 'expired') throw osError('ETIMEDOUT', 'not connected within the timeout');
      if (joinFailure) {
        // The WiPy keeps trying until its timeout; the driver already knows it will not work.
        if (typeof timeoutMs === 'number') throw osError('ETIMEDOUT', `the join failed (${whyNot(joinFailure)})`);
        throw joinFailure;
      }
      return {};
    },
    'wlan.disconnect': async () => {
      await wlan.disconnect();
      return {};
    },
    'wlan.isconnected': async () => ({ value: wlan.isconnected() }),
    'wlan.status': async () => ({ value: wlan.status() }),
    'wlan.scan': async () => ({ value: await wlan.scan() }),
    'wlan.ifconfig': async ([config]) => {
      if (config === null || config === undefined) return { value: await wlan.ifconfig() };
      if (config === 'dhcp') {
        // The module is on DHCP unless this session set an address; the driver cannot switch back.
        if (staticAddress) throw osError('EOPNOTSUPP', 'copro cannot switch the module back to DHCP once an address was set');
        return {};
      }
      await wlan.ifconfig(config as IfconfigTuple);
      staticAddress = true;
      return {};
    },
    'wlan.config': async ([param]) => {
      if (param === 'essid' || param === 'ssid') return { value: ssid ?? '' };
      // The MAC as text: network.py turns it into the six bytes a board returns.
      if (param === 'mac') return { value: Array.from(await wlan.config('mac'), (b) => b.toString(16).padStart(2, '0')).join(':') };
      if (param === 'hostname' || param === 'dhcp_hostname') return { value: await wlan.config('hostname') };
      throw new RangeError('unknown config param');
    },
    'wlan.setconfig': async ([param, value]) => {
      if ((param === 'hostname' || param === 'dhcp_hostname') && typeof value === 'string') {
        await wlan.config({ hostname: value });
        return {};
      }
      throw osError('EOPNOTSUPP', `copro cannot set ${String(param)} on the module`);
    },
  };
}
