/**
 * The AT dialogue decoder: host bytes through the codec's ModuleInputParser (what the firmware
 * hears), module bytes through its HostResponseParser (what the driver hears). The modes the two
 * parsers need are switched from what the dialogue itself shows, as the firmware switches them:
 *   - after `AT+CIPSEND[EX]=…,<len>` or `AT+CIPSENDL=…,<len>` answered by the prompt, the next <len> host bytes are payload;
 *   - after `AT+CIPSEND` (no length) in CIPMODE=1 answered by the prompt, both ways are transparent
 *     until the host sends `+++` on its own (the firmware's rule is a quiet guard time around it;
 *     a lone `+++` chunk is how that shows up on the wire);
 *   - `AT+CIPDINFO=1` makes +CIPRECVDATA carry the remote address;
 *   - `ready` (a reboot) drops everything the firmware would forget.
 */
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { ModuleInputParser } from '../../firmware-protocol/at/module-input-parser.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { AtParam, HostEvent, ParsedCommand } from '../../firmware-protocol/at/types.js';
import type { DialogueDecoder, DialogueEvent } from './dialogue.js';
import type { LineEventKind } from './format.js';

/** How many sent lines may still be waiting for their echo. */
const ECHO_WINDOW = 8;
const ESCAPE = '+++';

interface PendingSend {
  readonly length: number | null;
  readonly sendEx: boolean;
}

export class AtDialogueDecoder implements DialogueDecoder {
  private readonly hostParser: ModuleInputParser;
  private readonly moduleParser: HostResponseParser;
  private multiLink = false;
  private transparentMode = false;
  private pendingSend: PendingSend | null = null;
  private readonly awaitingEcho: string[] = [];

  constructor(profile: FirmwareProfile = DEFAULT_PROFILE) {
    this.hostParser = new ModuleInputParser({ maxLineLength: profile.limits.maxLineLength });
    this.moduleParser = new HostResponseParser(profile);
  }

  host(bytes: Uint8Array): DialogueEvent[] {
    const events: DialogueEvent[] = [];
    const passthrough = this.hostParser.mode === 'passthrough';
    this.hostParser.push(bytes);
    for (let event = this.hostParser.next(); event !== undefined; event = this.hostParser.next()) {
      if (event.type === 'command') {
        this.noteCommand(event.command);
        this.expectEcho(event.command.line);
        events.push({ side: 'host', kind: 'command', line: event.command.line, command: event.command });
      } else if (event.type === 'rejected') {
        this.expectEcho(event.line);
        events.push({ side: 'host', kind: 'command', line: event.line, command: null, rejected: event.reason });
      } else if (event.type === 'data') {
        events.push({ side: 'host', kind: 'data', bytes: event.bytes });
      } else if (event.type === 'passthrough') {
        events.push({ side: 'host', kind: 'passthrough', bytes: event.bytes });
      }
    }
    if (passthrough && Buffer.from(bytes).toString('latin1') === ESCAPE) this.leaveTransparent();
    return events;
  }

  module(bytes: Uint8Array): DialogueEvent[] {
    const events: DialogueEvent[] = [];
    this.moduleParser.push(bytes);
    for (let event = this.moduleParser.next(); event !== undefined; event = this.moduleParser.next()) {
      if (event.type === 'passthrough') {
        events.push({ side: 'module', kind: 'passthrough', bytes: event.bytes });
        continue;
      }
      events.push({ side: 'module', kind: 'reply', event, echo: this.isEcho(event) });
      this.follow(event);
    }
    return events;
  }

  lineEvent(kind: LineEventKind): void {
    if (kind === 'reset' || kind === 'device-attached') this.forget();
  }

  private noteCommand(command: ParsedCommand): void {
    const ints = command.params.map((p: AtParam) => (p.kind === 'int' ? p.value : null));
    if (command.name === 'CIPMUX' && command.form === 'set') this.multiLink = ints[0] === 1;
    else if (command.name === 'CIPMODE' && command.form === 'set') this.transparentMode = ints[0] === 1;
    else if (command.name === 'CIPDINFO' && command.form === 'set') this.moduleParser.setRecvDataRemote(ints[0] === 1);
    else if (command.name === 'CIPSEND' || command.name === 'CIPSENDEX' || command.name === 'CIPSENDL') {
      const sendEx = command.name === 'CIPSENDEX';
      if (command.form === 'exec') this.pendingSend = this.transparentMode ? { length: null, sendEx } : null;
      else if (command.form === 'set') {
        const length = ints[this.multiLink ? 1 : 0];
        this.pendingSend = typeof length === 'number' ? { length, sendEx } : null;
      }
    }
  }

  /** Switches modes on what the module answered. */
  private follow(event: HostEvent): void {
    if (event.type === 'prompt' && this.pendingSend) {
      const { length, sendEx } = this.pendingSend;
      this.pendingSend = null;
      if (length !== null) this.hostParser.enterData(length, { sendEx });
      else {
        this.hostParser.enterPassthrough();
        this.moduleParser.enterPassthrough();
      }
    } else if (event.type === 'final' && event.result !== 'OK') {
      this.pendingSend = null;
    } else if (event.type === 'urc' && event.urc.kind === 'ready') {
      this.forget();
    }
  }

  private leaveTransparent(): void {
    this.hostParser.leavePassthrough();
    this.moduleParser.leavePassthrough();
  }

  private forget(): void {
    this.hostParser.reset();
    if (this.moduleParser.mode === 'passthrough') this.moduleParser.leavePassthrough();
    this.moduleParser.setRecvDataRemote(false);
    this.multiLink = false;
    this.transparentMode = false;
    this.pendingSend = null;
    this.awaitingEcho.length = 0;
  }

  private expectEcho(line: string): void {
    this.awaitingEcho.push(line);
    if (this.awaitingEcho.length > ECHO_WINDOW) this.awaitingEcho.shift();
  }

  /** A plain line equal to a line the host sent (and not yet echoed) is the module's echo of it. */
  private isEcho(event: HostEvent): boolean {
    if (event.type !== 'line') return false;
    const at = this.awaitingEcho.indexOf(event.text);
    if (at < 0) return false;
    this.awaitingEcho.splice(0, at + 1);
    return true;
  }
}
