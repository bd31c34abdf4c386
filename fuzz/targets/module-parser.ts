import { ModuleInputParser } from '../../firmware-protocol/at/module-input-parser.js';
import type { SeededRandom } from '../../emulator/faults/prng.js';
import { describeInput, type FuzzTarget, type TargetStats } from '../campaign.js';
import { commandLine, mutate, noise } from '../at-corpus.js';

const MAX_LINE = 256;

/** Pushes one input through a parser, switching modes as a front end would; returns a problem or null. */
export function checkModuleParser(input: Uint8Array, random: SeededRandom): string | null {
  const parser = new ModuleInputParser({ maxLineLength: MAX_LINE });
  let events = 0;
  for (let offset = 0; offset < input.length; ) {
    const size = random.int(1, 300);
    parser.push(input.subarray(offset, offset + size));
    offset += size;
    for (let event = parser.next(); event !== undefined; event = parser.next()) {
      if (++events > input.length * 4 + 16) return 'next() produced more events than bytes allow (a loop?)';
      if (event.type === 'command' && random.next() < 0.2) {
        const mode = random.next();
        // Buffered (CIPSEND), escaped (CIPSENDEX) or streamed (CIPSENDL) payloads.
        parser.enterData(random.int(0, 2048), mode < 0.33 ? { sendEx: true } : { stream: mode < 0.66 });
      } else if (event.type === 'command' && random.next() < 0.05) parser.enterPassthrough();
      else if (event.type === 'passthrough' && random.next() < 0.1) parser.leavePassthrough();
      // `+++` calling a long send off in the middle of its payload.
      else if (event.type === 'data-part' && random.next() < 0.05) parser.cancelData();
      if (parser.lineBufferLength > MAX_LINE + 1) return `line buffer holds ${parser.lineBufferLength} bytes (bound ${MAX_LINE + 1})`;
    }
    if (parser.unreadLength !== 0) return `${parser.unreadLength} bytes left unread after next() returned nothing`;
  }
  return null;
}

/** The codec's module-side parser alone, fast: millions of bytes a minute. */
export const moduleParserTarget: FuzzTarget = {
  name: 'module-parser',
  description: 'ModuleInputParser with mode switches',
  weight: 1,
  async run(context): Promise<TargetStats> {
    const peers = { tcp: 5000, udp: 5001 };
    let inputs = 0;
    let bytes = 0;
    while (context.more(inputs)) {
      const parts: Uint8Array[] = [];
      for (let i = context.random.int(1, 12); i > 0; i--) {
        const line = Buffer.from(`${commandLine(context.random, peers)}\r\n`, 'latin1');
        parts.push(context.random.next() < 0.5 ? line : context.random.next() < 0.8 ? mutate(line, context.random) : noise(context.random, context.random.int(1, 2000)));
      }
      const input = Buffer.concat(parts.map((part) => Buffer.from(part)));
      bytes += input.length;
      try {
        const problem = checkModuleParser(input, context.random);
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
