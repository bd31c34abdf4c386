/**
 * The module's own address, for `localAddress` and `server.address()`: the station's IP, asked
 * once (AT+CIPSTA? / nina-fw GET_IPADDR) and again after the station was seen off its network, so
 * a connection does not pay an extra exchange with the module each time.
 */
import type { WlanBackend } from '../backend.js';

export class StationAddress {
  private known: Promise<string | undefined> | null = null;

  constructor(private readonly wlan: WlanBackend) {}

  /** The station's IPv4 address; undefined when the module cannot say. */
  get(): Promise<string | undefined> {
    if (!this.wlan.connected()) this.known = null;
    this.known ??= this.wlan.ifconfig().then(
      (config) => config.ip,
      () => {
        this.known = null;
        return undefined;
      },
    );
    return this.known;
  }
}
