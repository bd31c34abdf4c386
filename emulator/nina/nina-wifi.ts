import { ConnectionStatus } from '../../firmware-protocol/nina/constants.js';
import { JoinError, type Station } from '../network/types.js';
import type { Tracer } from '../trace.js';

/**
 * ESP-IDF disconnect reasons nina-fw reports through GET_REASON_CODE (esp_wifi_types.h
 * wifi_err_reason_t): a disconnect the station asked for is ASSOC_LEAVE, an AP that went off the air
 * is BEACON_TIMEOUT (no beacon heard), a join that found no AP or was refused NO_AP_FOUND / AUTH_FAIL.
 */
export const DisconnectReason = Object.freeze({ NONE: 0, ASSOC_LEAVE: 8, BEACON_TIMEOUT: 200, NO_AP_FOUND: 201, AUTH_FAIL: 202 } as const);

/**
 * nina-fw's WiFi.status() over the radio world's station (FW WiFi.cpp, peers.md §1.7):
 * IDLE after boot; SET_NET/SET_PASSPHRASE → NO_SSID_AVAIL (nina-fw's "connecting"); got IP →
 * CONNECTED; no AP (201) or bad passphrase (202) → CONNECT_FAILED; any other disconnect →
 * DISCONNECTED; a finished scan → SCAN_COMPLETED.
 */
export class NinaWifi {
  status: number = ConnectionStatus.IDLE;
  reasonCode: number = DisconnectReason.NONE;
  private attempt = 0;

  constructor(
    private readonly station: Station,
    private readonly tracer: Tracer,
    /** The station got its address (nina-fw's SNTP starts polling). */
    onAddress: () => void = () => {},
  ) {
    station.setListener({
      onConnected: () => {
        this.reasonCode = DisconnectReason.NONE;
        tracer.note(`station associated with ${station.info().ssid ?? '?'}`);
      },
      onGotIp: () => {
        this.status = ConnectionStatus.CONNECTED;
        tracer.note(`station got IP ${station.info().ip}`);
        onAddress();
      },
      onDisconnected: (reason) => {
        this.status = ConnectionStatus.DISCONNECTED;
        this.reasonCode = reason === 'lost' ? DisconnectReason.BEACON_TIMEOUT : DisconnectReason.ASSOC_LEAVE;
        tracer.note(`station disconnected (${reason === 'lost' ? 'AP lost' : 'left'})`);
      },
    });
  }

  /** WiFi.begin: returns at once; the join runs on and GET_CONN_STATUS follows it. */
  begin(ssid: string, passphrase: string): void {
    const attempt = ++this.attempt;
    this.tracer.note(`joining "${ssid}"`);
    const joining = this.station.join(ssid, passphrase);
    this.status = ConnectionStatus.NO_SSID_AVAIL;
    joining.catch((error: unknown) => {
      if (attempt !== this.attempt) return; // superseded by another begin, a disconnect or a reset
      const failure = error instanceof JoinError ? error.failure : 'failed';
      this.tracer.note(`join failed: ${failure}`);
      if (failure === 'no-ap' || failure === 'wrong-password') {
        this.status = ConnectionStatus.CONNECT_FAILED;
        this.reasonCode = failure === 'no-ap' ? DisconnectReason.NO_AP_FOUND : DisconnectReason.AUTH_FAIL;
      } else {
        this.status = ConnectionStatus.DISCONNECTED;
      }
    });
  }

  /** WiFi.disconnect / esp_wifi_stop: the association ends (DISCONNECTED), sockets die with it. */
  leave(): void {
    this.attempt++;
    const wasConnected = this.station.info().connected;
    this.station.leave();
    if (!wasConnected && this.status === ConnectionStatus.NO_SSID_AVAIL) this.status = ConnectionStatus.DISCONNECTED;
  }

  /** Module reset: back to power-on. */
  reset(): void {
    this.attempt++;
    this.station.reset();
    this.status = ConnectionStatus.IDLE;
    this.reasonCode = DisconnectReason.NONE;
  }
}
