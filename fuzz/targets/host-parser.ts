import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import {
  busy,
  finalResult,
  formatUrc,
  infoLine,
  ipd,
  ipdNotice,
  okPrompt,
  recvBytes,
  recvData,
  textLine,
} from '../../firmware-protocol/at/module-output.js';
import { PROFILES } from '../../firmware-protocol/at/profiles.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { SeededRandom } from '../../emulator/faults/prng.js';
import { describeInput, type FuzzTarget, type TargetStats } from '../campaign.js';
import { mutate, noise } from '../at-corpus.js';

const MAX_LINE = 4096;
const MAX_PAYLOAD = 65536;

function payload(random: SeededRandom): Buffer {
  const data = Buffer.alloc(random.next() < 0.1 ? random.int(1000, 5000) : random.int(0, 40));
  for (let i = 0; i < data.length; i++) data[i] = random.next() < 0.2 ? [0x0d, 0x0a, 0x2b, 0x3a, 0x3e][random.int(0, 4)] : random.int(0, 255);
  return data;
}

/** What a module says, well formed: the pieces a host parser must take apart. */
export function moduleOutput(random: SeededRandom, profile: FirmwareProfile): Buffer {
  const parts: Uint8Array[] = [];
  for (let i = random.int(1, 10); i > 0; i--) {
    const link = random.next() < 0.5 ? null : random.int(0, 4);
    const remote = random.next() < 0.3 ? { ip: '127.0.0.1', port: random.int(1, 65535) } : null;
    const pieces: Array<() => Uint8Array> = [
      () => finalResult((['OK', 'ERROR', 'SEND OK', 'SEND FAIL', 'FAIL'] as const)[random.int(0, 4)]),
      () => infoLine((['CIPSTATUS', 'CWJAP', 'CIPDOMAIN', 'CIFSR'] as const)[random.int(0, 3)], `${random.int(0, 9)},"x",${random.int(0, 99)}`),
      () => textLine(['WIFI CONNECTED', 'WIFI GOT IP', 'ready', 'no ip', 'ALREADY CONNECTED'][random.int(0, 4)]),
      () => ipd(profile, link, payload(random), remote),
      () => ipdNotice(link, random.int(0, 8192)),
      () => recvData(profile, payload(random), remote),
      () => formatUrc({ kind: 'closed', link }),
      () => formatUrc({ kind: 'connect', link }),
      () => okPrompt(profile),
      () => busy(random.next() < 0.5 ? 'p' : 's'),
      () => recvBytes(random.int(0, 8192)),
    ];
    parts.push(pieces[random.int(0, pieces.length - 1)]());
  }
  return Buffer.concat(parts.map((part) => Buffer.from(part)));
}

/** Feeds one stream to a fresh parser in random pieces; returns a problem or null. */
export function checkHostParser(input: Uint8Array, profile: FirmwareProfile, random: SeededRandom): string | null {
  const parser = new HostResponseParser(profile, { maxLineLength: MAX_LINE, maxPayloadLength: MAX_PAYLOAD });
  if (random.next() < 0.3) parser.setRecvDataRemote(true);
  let events = 0;
  for (let offset = 0; offset < input.length; ) {
    const size = random.int(1, 200);
    parser.push(input.subarray(offset, offset + size));
    offset += size;
    for (let event = parser.next(); event !== undefined; event = parser.next()) {
      if (++events > input.length * 4 + 16) return 'next() produced more events than bytes allow (a loop?)';
      if (event.type === 'prompt' && random.next() < 0.05) parser.enterPassthrough();
      else if (event.type === 'passthrough' && random.next() < 0.2) parser.leavePassthrough();
    }
    if (parser.bufferedLength > Math.max(MAX_LINE, MAX_PAYLOAD)) return `buffers ${parser.bufferedLength} bytes (bound ${MAX_PAYLOAD})`;
  }
  return null;
}

/** The codec's host-side parser (what the driver reads the module with), on module output and damage done to it. */
export const hostParserTarget: FuzzTarget = {
  name: 'host-parser',
  description: 'HostResponseParser on module output, mutated',
  weight: 1,
  async run(context): Promise<TargetStats> {
    const profiles = Object.values(PROFILES);
    let inputs = 0;
    let bytes = 0;
    while (context.more(inputs)) {
      const profile = profiles[context.random.int(0, profiles.length - 1)];
      const good = moduleOutput(context.random, profile);
      const roll = context.random.next();
      const input = roll < 0.4 ? good : roll < 0.9 ? Buffer.from(mutate(good, context.random)) : Buffer.from(noise(context.random, context.random.int(1, 4000)));
      bytes += input.length;
      try {
        const problem = checkHostParser(input, profile, context.random);
        if (problem) context.found({ kind: 'invariant', detail: problem, input: inputs, sample: describeInput(input) });
      } catch (error) {
        context.found({ kind: 'exception', detail: (error as Error).message, input: inputs, sample: describeInput(input) });
      }
      inputs++;
      if (inputs % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return { inputs, bytes };
  },
};
