import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModuleInputParser } from '../../firmware-protocol/at/index.js';
import { chunked } from './helpers.js';

/**
 * AT+CIPSENDL's streamed data mode: however the UART splits the bytes, the parts add up to exactly
 * `length` payload bytes, an empty `data` event ends them, and what follows is a command again.
 */
describe('ModuleInputParser: streamed payload (AT+CIPSENDL)', () => {
  it('hands the payload on in parts that add up to it, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.array(fc.nat({ max: 3100 }), { maxLength: 12 }), (payload, cuts) => {
        const parser = new ModuleInputParser();
        parser.enterData(payload.length, { stream: true });
        const wire = Buffer.concat([Buffer.from(payload), Buffer.from('AT\r\n', 'latin1')]);
        const parts: Uint8Array[] = [];
        let ended = 0;
        const commands: string[] = [];
        for (const chunk of chunked(wire, cuts)) {
          parser.push(chunk);
          for (let event = parser.next(); event !== undefined; event = parser.next()) {
            if (event.type === 'data-part') parts.push(event.bytes);
            else if (event.type === 'data') {
              expect(event.bytes.length).toBe(0);
              ended++;
            } else if (event.type === 'command') commands.push(event.command.line);
          }
        }
        expect(Buffer.concat(parts).equals(Buffer.from(payload))).toBe(true);
        expect(parts.every((part) => part.length > 0)).toBe(true);
        expect(ended).toBe(1);
        expect(commands).toEqual(['AT']);
      }),
    );
  });
});
