/**
 * Watches module bytes for the answer to AT+GMR (through the driver's parser) and says, once,
 * which firmware answered: its lines and the profile they look like. Pure; a reader of copies.
 */
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { DEFAULT_PROFILE, detectProfile, isGmrVersionLine, isProfileId } from '../../firmware-protocol/at/profiles/index.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';

function knownId(id: string): ProfileId | null {
  return isProfileId(id) ? id : null;
}

export interface FirmwareSeen {
  readonly banner: readonly string[];
  readonly profile: ProfileId | null;
}

/** GMR answers are four or five lines; a longer run without OK is not one. */
const MAX_GMR_LINES = 8;

export class FirmwareSniffer {
  private readonly parser = new HostResponseParser(DEFAULT_PROFILE);
  private lines: string[] | null = null;
  private found = false;

  /** The firmware, the first time its GMR answer completes in these bytes; null otherwise. */
  push(bytes: Uint8Array): FirmwareSeen | null {
    if (this.found) return null;
    this.parser.push(bytes);
    for (let event = this.parser.next(); event !== undefined; event = this.parser.next()) {
      if (event.type === 'line' && isGmrVersionLine(event.text)) this.lines = [event.text];
      else if (this.lines && event.type === 'line') this.lines.push(event.text);
      else if (this.lines && event.type === 'final') {
        const banner = this.lines;
        this.lines = null;
        if (event.result !== 'OK') continue;
        this.found = true;
        return { banner, profile: knownId(detectProfile(banner).profile.id) };
      } else if (this.lines) this.lines = null;
      if (this.lines && this.lines.length > MAX_GMR_LINES) this.lines = null;
    }
    return null;
  }
}
