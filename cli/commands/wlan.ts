/**
 * `copro scan`, `copro join SSID [KEY]`, `copro ifconfig`: the module's station interface.
 * A real module remembers what it joined; an `emu:` module lives only as long as the command.
 */
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { Coprocessor } from '../../src/open.js';
import { openDevice, withDeviceOptions } from '../../src/tools/cli-device.js';
import type { DeviceOptions } from '../../src/tools/cli-device.js';
import { reportAndExit } from '../fail.js';

const SECURITY = ['open', 'WEP', 'WPA-PSK', 'WPA2-PSK', 'WPA/WPA2-PSK', 'WPA2-Enterprise', 'WPA3-PSK', 'WPA2/WPA3-PSK'];

const STATUS_TEXT = ['idle', 'connecting', 'wrong password', 'no access point', 'connection failed', 'connected'];

async function withModule(opts: DeviceOptions, join: boolean, body: (copro: Coprocessor) => Promise<void>): Promise<void> {
  const copro = await openDevice(opts, join);
  try {
    await body(copro);
  } finally {
    await copro.close();
  }
}

export async function runScan(opts: DeviceOptions, out: Writable): Promise<void> {
  await withModule(opts, false, async ({ wlan }) => {
    const aps = await wlan.scan();
    const width = Math.max(4, ...aps.map(([ssid]) => ssid.length));
    out.write(`${'SSID'.padEnd(width)}  BSSID              CH  RSSI  SECURITY\n`);
    for (const [ssid, bssid, channel, rssi, security, hidden] of aps) {
      const name = hidden ? '(hidden)' : ssid;
      out.write(`${name.padEnd(width)}  ${bssid}  ${String(channel).padStart(2)}  ${String(rssi).padStart(4)}  ${SECURITY[security] ?? security}\n`);
    }
  });
}

export async function runJoin(ssid: string, key: string | undefined, opts: DeviceOptions, out: Writable): Promise<void> {
  await withModule(opts, false, async ({ wlan }) => {
    await wlan.connect(ssid, key);
    const [ip, netmask, gateway] = await wlan.ifconfig();
    out.write(`joined ${ssid}: ip ${ip} netmask ${netmask} gateway ${gateway}\n`);
  });
}

export async function runIfconfig(opts: DeviceOptions, out: Writable): Promise<void> {
  await withModule(opts, true, async ({ wlan }) => {
    const [ip, netmask, gateway, dns] = await wlan.ifconfig();
    out.write(`${STATUS_TEXT[wlan.status()] ?? wlan.status()}\nip ${ip}\nnetmask ${netmask}\ngateway ${gateway}\ndns ${dns}\n`);
  });
}

function action<A extends unknown[]>(run: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
      process.exit(0);
    } catch (err) {
      reportAndExit(err);
    }
  };
}

export function registerWlan(program: Command): void {
  withDeviceOptions(program.command('scan').description('list the access points the module sees')).action(
    action((opts: DeviceOptions) => runScan(opts, process.stdout)),
  );
  withDeviceOptions(
    program.command('join').description('join an access point').argument('<ssid>').argument('[key]', 'passphrase (omit for an open network)'),
  ).action(action((ssid: string, key: string | undefined, opts: DeviceOptions) => runJoin(ssid, key, opts, process.stdout)));
  withDeviceOptions(program.command('ifconfig').description("show the module's station addresses")).action(
    action((opts: DeviceOptions) => runIfconfig(opts, process.stdout)),
  );
}
