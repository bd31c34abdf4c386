import { ModuleInputParser } from '../../firmware-protocol/at/module-input-parser.js';
import type { CommandName } from '../../firmware-protocol/at/commands/index.js';
import type { LineName, LineValueOf } from '../../firmware-protocol/at/grammar/reply-types.js';
import { replyText, type ReplyOptions } from '../../firmware-protocol/at/grammar/replies.js';
import { ascii, errCode, errCodeOf, errorWord, finalResult, type ErrorSubcategory } from '../../firmware-protocol/at/module-output.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import { keepAliveClock, type Clock } from '../../runtime/clock.js';
import type { NetworkStack, VirtualServer } from '../network/types.js';
import type { WorldConfig } from '../world-config.js';
import type { ModuleTransport } from '../transport/types.js';
import type { ModuleFat } from '../storage/module-fat.js';
import type { Tracer } from '../trace.js';
import type { CommandCall } from './handler-types.js';
import { LinkTable } from './link-table.js';
import { ModuleSettings } from './module-settings.js';
import { ModuleTime } from './module-time.js';
import { MemoryFlashStore, type FlashStore } from './flash-store.js';
import { PartitionFlash } from './partition-flash.js';
import type { PassthroughSession } from './passthrough-session.js';

export type ErrorWord = keyof FirmwareProfile['errorWords'];

/** Station state as the firmware tracks it (AT+CWSTATE, AT+CIPSTATUS). */
export type WifiPhase = 'idle' | 'connecting' | 'connected' | 'got-ip' | 'disconnected';

export interface WifiStatus {
  phase: WifiPhase;
  /** "WIFI CONNECTED" was printed and no "WIFI DISCONNECT" since (the DISCONNECT is owed). */
  announced: boolean;
  /** A link existed since the IP was obtained (CIPSTATUS 4 = all links gone). */
  hadLinks: boolean;
  /** Numbers join attempts, so a superseded one's failure does not touch the phase. */
  attempt: number;
}

export interface ServerState {
  readonly server: VirtualServer;
  readonly port: number;
  readonly type: string;
  readonly caEnable: number;
}

export interface ModuleCoreInit {
  readonly transport: ModuleTransport;
  readonly stack: NetworkStack;
  readonly world: WorldConfig;
  readonly profile: FirmwareProfile;
  readonly tracer: Tracer;
  /** The time of every module timer (boot, CIPSTO, passthrough); default real time. */
  readonly clock?: Clock;
  /** Where AT+SYSFLASH's partitions are kept; default: in memory. */
  readonly flash?: FlashStore;
  /** The FAT partition AT+FS uses (emulator/storage); absent: none (AT+FS answers ERROR). */
  readonly fat?: ModuleFat;
}

type DataHandler = (bytes: Uint8Array) => void | Promise<void>;
/** AT+CIPSENDL: payload bytes as they arrive. */
type DataPartHandler = (bytes: Uint8Array) => void;

/**
 * Everything one emulated ESP-AT module is: settings, links, server, station status, the input
 * parser, and the few primitives every handler answers with. The input loop (AtModule) and the
 * per-area handlers share it; nothing here parses or formats AT itself (the codec does).
 */
export class ModuleCore {
  readonly transport: ModuleTransport;
  readonly stack: NetworkStack;
  readonly world: WorldConfig;
  readonly profile: FirmwareProfile;
  readonly tracer: Tracer;
  readonly clock: Clock;
  readonly fat: ModuleFat | null;
  readonly settings: ModuleSettings;
  readonly links: LinkTable;
  /** The module's Unix time (AT+SYSTIMESTAMP): the epoch at every boot. */
  readonly time: ModuleTime;
  /** The user partitions of the module's flash (AT+SYSFLASH); they survive resets. */
  readonly flash: PartitionFlash;
  readonly parser: ModuleInputParser;
  readonly wifi: WifiStatus = { phase: 'idle', announced: false, hadLinks: false, attempt: 0 };
  server: ServerState | null = null;
  passthrough: PassthroughSession | null = null;
  /** A command is still executing: new lines get `busy p...`. */
  busy = false;
  /** Between a reset (or AT+GSLP) and `ready`: input is lost, output is not produced. */
  booting = false;
  /** Bumped by every reset, so work started before it cannot answer after it. */
  epoch = 0;
  closed = false;
  /**
   * The firmware has set its UART rate (AT+UART_CUR/_DEF) since power-on. Until then a virtual
   * module runs at whatever rate its host uses; from then on every reset returns it to the
   * stored default, as a real module does.
   */
  uartRateSet = false;
  private dataHandler: DataHandler | null = null;
  /** Set while a streamed payload (AT+CIPSENDL) comes in. */
  dataPartHandler: DataPartHandler | null = null;

  constructor(init: ModuleCoreInit) {
    this.transport = init.transport;
    this.stack = init.stack;
    this.world = init.world;
    this.profile = init.profile;
    this.links = new LinkTable(init.profile.limits.links);
    this.tracer = init.tracer;
    this.clock = init.clock ?? keepAliveClock;
    this.fat = init.fat ?? null;
    this.settings = new ModuleSettings(init.profile);
    this.time = new ModuleTime(this.clock);
    this.flash = new PartitionFlash(init.profile.partitions, init.flash ?? new MemoryFlashStore());
    this.parser = new ModuleInputParser({ maxLineLength: init.profile.limits.maxLineLength });
  }

  get mux(): boolean {
    return this.settings.volatile.mux;
  }

  /** The link id as printed: none in single-link mode. */
  label(id: number): number | null {
    return this.mux ? id : null;
  }

  /** A duration of the module's own (reboot, CIPSTO) in real milliseconds, world scale applied. */
  scaledMs(ms: number): number {
    return ms * this.world.timing.scale;
  }

  isCurrent(epoch: number): boolean {
    return epoch === this.epoch && !this.closed;
  }

  /** Bytes to the host, traced with the links they concern. */
  write(bytes: Uint8Array, links?: readonly number[]): void {
    if (bytes.length === 0 || this.closed) return;
    this.tracer.toHost(bytes, links);
    this.transport.write(bytes);
  }

  /**
   * An unsolicited message. Dropped while rebooting, and in passthrough unless AT+SYSMSG bit 2
   * asks for connection messages there (the host is reading raw data then).
   */
  urc(bytes: Uint8Array, links?: readonly number[]): void {
    if (this.booting) return;
    if (this.passthrough && (this.settings.current.sysMsg & 4) === 0) {
      this.tracer.note(`suppressed in passthrough: ${Buffer.from(bytes).toString('latin1').trim()}`);
      return;
    }
    this.write(bytes, links);
  }

  ok(links?: readonly number[]): void {
    this.write(finalResult('OK'), links);
  }

  /**
   * One line of the reply to `call`, from typed values: the command's declaration (and the
   * variant the profile has) says how it is printed, under the name the command came in with.
   */
  reply<C extends CommandName, K extends LineName<C>>(
    call: CommandCall<C, unknown>,
    key: K,
    value: LineValueOf<C, K>,
    options: ReplyOptions & { readonly links?: readonly number[] } = {},
  ): void {
    this.write(ascii(replyText(this.profile, call.spec, key, value, options)), options.links);
  }

  /**
   * A failed command: the 1.7 error word if the profile has one, `ERR CODE:` with AT+SYSLOG=1,
   * then `\r\nERROR\r\n`. Returns nothing so handlers can `return core.error(...)`. `extension`
   * is the code's low 16 bits (the firmware numbers the parameter that failed, from 1; the HTTP
   * commands' `0x7000 + status`).
   */
  error(subcategory: ErrorSubcategory | 'too-long' = 'exec-failed', word?: ErrorWord, extension = 0): void {
    if (word) this.write(errorWord(this.profile, word));
    if (this.settings.volatile.sysLog) this.write(errCode(subcategory, extension));
    this.write(finalResult('ERROR'));
  }

  /**
   * A failed command whose family has its own error codes (MQTT's 0x60xx): `ERR CODE:0x%08x` of
   * `code` with AT+SYSLOG=1, then `\r\nERROR\r\n`.
   */
  errorCode(code: number): void {
    if (this.settings.volatile.sysLog) this.write(errCodeOf(code));
    this.write(finalResult('ERROR'));
  }

  /**
   * The module's UART switches to `baud` for everything written after this call (call it right
   * after the OK, as the firmware switches once the OK is out). A transport that models the line
   * (uart-line-transport.ts) or is a real device applies it; others ignore it.
   */
  setUartBaud(baud: number): void {
    this.uartRateSet = true;
    this.transport.setModuleBaudRate(baud);
  }

  /** After a CIPSEND prompt: the next `length` bytes are payload for `handler`. */
  expectData(length: number, sendEx: boolean, handler: DataHandler): void {
    this.dataHandler = handler;
    this.parser.enterData(length, { sendEx });
  }

  /** After a CIPSENDL prompt: `onPart` hears the payload as it arrives, `handler` (empty bytes) its end. */
  streamData(length: number, onPart: DataPartHandler, handler: DataHandler): void {
    this.dataHandler = handler;
    this.dataPartHandler = onPart;
    this.parser.enterData(length, { stream: true });
  }

  takeDataHandler(): DataHandler | null {
    const handler = this.dataHandler;
    this.dataHandler = null;
    this.dataPartHandler = null;
    return handler;
  }

  /** Calls off a streamed payload (`+++` during AT+CIPSENDL): the parser reads commands again. */
  cancelStream(): void {
    this.parser.cancelData();
    this.dropDataHandler();
  }

  /** Forgets an awaited payload (reset). */
  dropDataHandler(): void {
    this.dataHandler = null;
    this.dataPartHandler = null;
  }
}
