import type { LineControlEvent } from './types.js';
import {
  DO,
  DONT,
  OPTION_BINARY,
  OPTION_COM_PORT,
  OPTION_SGA,
  TelnetDecoder,
  WILL,
  WONT,
  negotiationFrame,
  subnegotiationFrame,
} from './telnet-codec.js';
import type { NegotiationVerb } from './telnet-codec.js';

/**
 * The access-server side of RFC 2217 (Telnet COM-PORT-OPTION) for one client, as pyserial's
 * `rfc2217://` and esptool speak it:
 *
 * - Telnet: agree to BINARY, SGA and COM-PORT (44) in both directions when asked, refuse
 *   everything else (ECHO included: the module does not echo at the Telnet level). Answers
 *   only state changes (RFC 1143 spirit), so negotiation cannot loop.
 * - Every COM-PORT subnegotiation is acknowledged with code + 100 and the value now in
 *   force; a value of 0 in SET-BAUDRATE/-DATASIZE/-PARITY/-STOPSIZE and the "request"
 *   SET-CONTROL values are queries answered with the current setting. pyserial waits for each
 *   answer (SET-CONTROL too, unless `?ign_set_control`), so none may go unanswered.
 * - SET-BAUDRATE with a rate → a `baud` event (every time, even if the rate is unchanged).
 * - DTR/RTS drive the module's EN like the two-transistor auto-reset circuit of ESP32
 *   DevKitC/NodeMCU boards that esptool targets: EN is held low exactly while RTS is on and
 *   DTR is off; EN going high again is a `reset`. So `rts=True … rts=False` (with DTR off)
 *   resets, as does esptool's classic DTR/RTS dance, while pyserial's default open (DTR on,
 *   then RTS on) does not, as on a real board. Both lines start off.
 * - PURGE-DATA 1 (access server receive buffer = module output not yet sent) and 3 drop
 *   queued output; 2 has nothing to drop (host bytes are delivered at once).
 * - FLOWCONTROL-SUSPEND/RESUME pause/resume output to the client.
 * - Modem state is reported as 0 (no CTS/DSR/RI/CD: a USB-UART bridge with nothing on those
 *   inputs), line state as 0.
 */

const SIGNATURE = 'copro virtual ESP-AT module';

// Client → server COM-PORT-OPTION commands (server replies use code + 100).
const COM_SIGNATURE = 0;
const COM_SET_BAUDRATE = 1;
const COM_SET_DATASIZE = 2;
const COM_SET_PARITY = 3;
const COM_SET_STOPSIZE = 4;
const COM_SET_CONTROL = 5;
const COM_NOTIFY_LINESTATE = 6;
const COM_NOTIFY_MODEMSTATE = 7;
const COM_FLOWCONTROL_SUSPEND = 8;
const COM_FLOWCONTROL_RESUME = 9;
const COM_SET_LINESTATE_MASK = 10;
const COM_SET_MODEMSTATE_MASK = 11;
const COM_PURGE_DATA = 12;
const SERVER_OFFSET = 100;

const SUPPORTED_OPTIONS = new Set([OPTION_BINARY, OPTION_SGA, OPTION_COM_PORT]);

export interface Rfc2217Handlers {
  /** Raw Telnet bytes for the client (negotiation and COM-PORT replies, already framed). */
  send(bytes: Buffer): void;
  /** Payload from the host, Telnet stripped. */
  data(bytes: Buffer): void;
  control(event: LineControlEvent): void;
  /** The host asked to purge the module's output not yet sent. */
  purgeOutput(): void;
  /** The host asked us to stop (true) or resume (false) sending. */
  suspendOutput(suspended: boolean): void;
}

interface LineSettings {
  baudRate: number;
  dataSize: number;
  parity: number;
  stopSize: number;
  outboundFlow: number;
  inboundFlow: number;
  breakOn: boolean;
  dtr: boolean;
  rts: boolean;
  lineStateMask: number;
  modemStateMask: number;
}

export class Rfc2217Session {
  private readonly decoder: TelnetDecoder;
  private readonly weWill = new Set<number>();
  private readonly theyWill = new Set<number>();
  private hostBaud: number | null = null;
  private readonly line: LineSettings;

  constructor(
    private readonly handlers: Rfc2217Handlers,
    initialBaudRate: number,
  ) {
    this.line = {
      baudRate: initialBaudRate,
      dataSize: 8,
      parity: 1,
      stopSize: 1,
      outboundFlow: 1,
      inboundFlow: 14,
      breakOn: false,
      dtr: false,
      rts: false,
      lineStateMask: 0,
      modemStateMask: 0xff,
    };
    this.decoder = new TelnetDecoder({
      data: (bytes) => handlers.data(bytes),
      negotiation: (verb, option) => this.negotiate(verb, option),
      subnegotiation: (option, payload) => {
        if (option === OPTION_COM_PORT && payload.length > 0) this.comPort(payload[0], payload.subarray(1));
      },
    });
  }

  /** The rate the host set with SET-BAUDRATE, null until it sets one. */
  get baudRate(): number | null {
    return this.hostBaud;
  }

  /** Feeds bytes received from the client. */
  receive(chunk: Uint8Array): void {
    this.decoder.push(chunk);
  }

  private negotiate(verb: NegotiationVerb, option: number): void {
    const supported = SUPPORTED_OPTIONS.has(option);
    if (verb === DO || verb === DONT) {
      const wanted = verb === DO && supported;
      if (wanted === this.weWill.has(option)) {
        // Already in that state; a refused DO still gets its WONT (the peer waits for one).
        if (verb === DO && !supported) this.reply(WONT, option);
        return;
      }
      if (wanted) this.weWill.add(option);
      else this.weWill.delete(option);
      this.reply(wanted ? WILL : WONT, option);
    } else {
      const wanted = verb === WILL && supported;
      if (wanted === this.theyWill.has(option)) {
        if (verb === WILL && !supported) this.reply(DONT, option);
        return;
      }
      if (wanted) this.theyWill.add(option);
      else this.theyWill.delete(option);
      this.reply(wanted ? DO : DONT, option);
    }
  }

  private reply(verb: NegotiationVerb, option: number): void {
    this.handlers.send(negotiationFrame(verb, option));
  }

  private answer(command: number, value: Uint8Array | readonly number[]): void {
    const payload = Buffer.concat([Buffer.from([command + SERVER_OFFSET]), Buffer.from(value)]);
    this.handlers.send(subnegotiationFrame(OPTION_COM_PORT, payload));
  }

  private comPort(command: number, value: Buffer): void {
    const byte = value.length > 0 ? value[0] : 0;
    switch (command) {
      case COM_SIGNATURE:
        return this.answer(command, Buffer.from(SIGNATURE, 'latin1'));
      case COM_SET_BAUDRATE: {
        const rate = value.length >= 4 ? value.readUInt32BE(0) : 0;
        if (rate !== 0) {
          this.line.baudRate = rate;
          this.hostBaud = rate;
        }
        const reply = Buffer.alloc(4);
        reply.writeUInt32BE(this.line.baudRate >>> 0);
        this.answer(command, reply);
        if (rate !== 0) this.handlers.control({ type: 'baud', rate });
        return;
      }
      case COM_SET_DATASIZE:
        if (byte !== 0) this.line.dataSize = byte;
        return this.answer(command, [this.line.dataSize]);
      case COM_SET_PARITY:
        if (byte !== 0) this.line.parity = byte;
        return this.answer(command, [this.line.parity]);
      case COM_SET_STOPSIZE:
        if (byte !== 0) this.line.stopSize = byte;
        return this.answer(command, [this.line.stopSize]);
      case COM_SET_CONTROL:
        return this.setControl(byte);
      case COM_NOTIFY_LINESTATE:
        return this.answer(command, [0]);
      case COM_NOTIFY_MODEMSTATE:
        return this.answer(command, [0]);
      case COM_FLOWCONTROL_SUSPEND:
        this.answer(command, value);
        return this.handlers.suspendOutput(true);
      case COM_FLOWCONTROL_RESUME:
        this.answer(command, value);
        return this.handlers.suspendOutput(false);
      case COM_SET_LINESTATE_MASK:
        this.line.lineStateMask = byte;
        return this.answer(command, [byte]);
      case COM_SET_MODEMSTATE_MASK:
        this.line.modemStateMask = byte;
        return this.answer(command, [byte]);
      case COM_PURGE_DATA:
        if (byte === 1 || byte === 3) this.handlers.purgeOutput();
        return this.answer(command, [byte]);
      default:
        // Not in RFC 2217 (or a future one): acknowledge in kind so no client waits forever.
        return this.answer(command, value);
    }
  }

  private setControl(value: number): void {
    const line = this.line;
    const enWasLow = line.rts && !line.dtr;
    let reported = value;
    if (value === 0) reported = line.outboundFlow;
    else if (value <= 3) line.outboundFlow = value;
    else if (value === 4) reported = line.breakOn ? 5 : 6;
    else if (value === 5 || value === 6) line.breakOn = value === 5;
    else if (value === 7) reported = line.dtr ? 8 : 9;
    else if (value === 8 || value === 9) line.dtr = value === 8;
    else if (value === 10) reported = line.rts ? 11 : 12;
    else if (value === 11 || value === 12) line.rts = value === 11;
    else if (value === 13) reported = line.inboundFlow;
    else if (value <= 19) line.inboundFlow = value;
    this.answer(COM_SET_CONTROL, [reported]);
    const enIsLow = line.rts && !line.dtr;
    if (enWasLow && !enIsLow) this.handlers.control({ type: 'reset' });
  }
}
