import { COMMANDS } from '../firmware-protocol/at/command-table.js';
import type { ParamSpec } from '../firmware-protocol/at/command-spec.js';
import type { ProfileId } from '../firmware-protocol/at/profile.js';
import type { SeededRandom } from '../emulator/faults/prng.js';
import { DEFAULT_PROFILE } from '../firmware-protocol/at/profiles.js';

/**
 * What the fuzzer sends: command lines built from the command table (every command, every form,
 * parameters near and beyond their limits), mutated at the byte level, mixed with raw noise and
 * data phases. Loopback peers' ports are filled in so links really open.
 */

export interface Peers {
  readonly tcp: number;
  readonly udp: number;
}

const INTERESTING_INTS = [0, 1, -1, 2, 5, 255, 256, 1024, 2048, 2049, 8192, 65535, 65536, 2147483647, 2147483648, 4294967296];

function pick<T>(random: SeededRandom, items: readonly T[]): T {
  return items[random.int(0, items.length - 1)];
}

function intFor(param: ParamSpec, random: SeededRandom, peers: Peers): string {
  if (/port/.test(param.name) && random.next() < 0.6) return String(random.next() < 0.5 ? peers.tcp : peers.udp);
  const roll = random.next();
  if (roll < 0.5 && param.min !== undefined) {
    const max = param.max ?? param.min + 100;
    return String(random.int(param.min, Math.min(max, param.min + 10_000)));
  }
  if (roll < 0.8) return String(pick(random, INTERESTING_INTS));
  return random.next() < 0.5 ? `${random.int(0, 9)}${'9'.repeat(random.int(1, 30))}` : `${random.int(0, 100)}x`;
}

function stringFor(param: ParamSpec, random: SeededRandom): string {
  if (param.oneOf && random.next() < 0.7) return pick(random, param.oneOf);
  if (/host|ip|domain|remote/.test(param.name) && random.next() < 0.7) {
    return pick(random, ['127.0.0.1', 'peer.lab', 'localhost', '127.0.0.2', '10.0.0.1', '0.0.0.0', '255.255.255.255', 'nothing.invalid', '']);
  }
  if (/ssid/.test(param.name) && random.next() < 0.6) return 'copro-lab';
  if (/pwd|password/.test(param.name) && random.next() < 0.6) return 'labpass123';
  // Valid, multicast, broadcast and the other interface's MAC (AT+CIPSTAMAC / AT+CIPAPMAC).
  if (/mac/.test(param.name) && random.next() < 0.6) {
    return pick(random, ['1a:fe:35:98:d3:7b', '15:fe:35:98:d3:7b', 'ff:ff:ff:ff:ff:ff', '24:0a:c4:c0:90:02', '00:00:00:00:00:00']);
  }
  const length = random.next() < 0.1 ? random.int(60, 600) : random.int(0, 12);
  let text = '';
  for (let i = 0; i < length; i++) text += pick(random, ['a', 'Z', '0', ',', '"', '\\', ' ', '.', ':', '\\"', '\\,']);
  return text;
}

function paramText(param: ParamSpec, random: SeededRandom, peers: Peers): string {
  if (param.optional && random.next() < 0.2) return '';
  const value = param.type === 'int' ? intFor(param, random, peers) : stringFor(param, random);
  // Wrong quoting now and then: strings bare, ints quoted.
  const quoted = param.type === 'string' ? random.next() > 0.05 : random.next() < 0.05;
  return quoted ? `"${value}"` : value;
}

/** One command line (without CR LF) of `profile`, usually well formed. */
export function commandLine(random: SeededRandom, peers: Peers, profile: ProfileId = DEFAULT_PROFILE.id): string {
  const spec = pick(
    random,
    COMMANDS.filter((command) => command.profiles.includes(profile) || random.next() < 0.05),
  );
  const form = pick(random, spec.forms);
  const head = spec.name.startsWith('AT') ? spec.name : `AT+${spec.name}`;
  if (form === 'exec') return head;
  if (form === 'query') return `${head}?`;
  if (form === 'test') return `${head}=?`;
  const signature = pick(random, spec.set ?? [{ mux: 'any' as const, params: [] }]);
  let params = signature.params.map((param) => paramText(param, random, peers));
  if (random.next() < 0.1) params = params.slice(0, random.int(0, params.length));
  if (random.next() < 0.05) params.push(paramText({ name: 'extra', type: 'int' }, random, peers));
  return `${head}=${params.join(',')}`;
}

/** Byte-level damage: what a noisy line or a buggy driver does to a good line. */
export function mutate(bytes: Uint8Array, random: SeededRandom): Uint8Array {
  const out = Array.from(bytes);
  const rounds = random.int(1, 4);
  for (let round = 0; round < rounds; round++) {
    const at = random.int(0, out.length);
    switch (random.int(0, 8)) {
      case 0:
        if (out.length > 0) out[Math.min(at, out.length - 1)] ^= 1 << random.int(0, 7);
        break;
      case 1:
        if (out.length > 0) out[Math.min(at, out.length - 1)] = random.int(0, 255);
        break;
      case 2:
        out.splice(at, 0, ...Array.from({ length: random.int(1, 8) }, () => random.int(0, 255)));
        break;
      case 3:
        out.splice(at, random.int(1, 8));
        break;
      case 4: {
        const piece = out.slice(at, at + random.int(1, 16));
        out.splice(at, 0, ...piece);
        break;
      }
      case 5:
        out.splice(at, 0, 0x0d, 0x0a);
        break;
      case 6:
        out.length = Math.min(out.length, at);
        break;
      case 7: {
        const piece = out.slice(at, at + random.int(1, 4));
        const times = random.int(10, 300);
        for (let i = 0; i < times && piece.length > 0; i++) out.splice(at, 0, ...piece);
        break;
      }
      default:
        out.splice(at, 0, ...Buffer.from(pick(random, ['"', '\\', ',', '=', '?', '\r', '\n', '\0', '+++', 'AT', '\\0'])));
    }
  }
  return Uint8Array.from(out);
}

/** Random bytes, sometimes with line ends (noise on the line, a host at the wrong baud). */
export function noise(random: SeededRandom, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random.next() < 0.03 ? pick(random, [0x0d, 0x0a]) : random.int(0, 255);
  return bytes;
}

/** One fuzz input: a few pieces of lines, mutated lines, noise and payloads, as byte chunks. */
export function fuzzInput(random: SeededRandom, peers: Peers, profile: ProfileId = DEFAULT_PROFILE.id): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  const count = random.int(1, 8);
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    const line = Buffer.from(`${commandLine(random, peers, profile)}\r\n`, 'latin1');
    if (roll < 0.55) pieces.push(line);
    else if (roll < 0.85) pieces.push(mutate(line, random));
    else if (roll < 0.95) pieces.push(noise(random, random.int(1, random.next() < 0.1 ? 4096 : 64)));
    else pieces.push(Buffer.alloc(random.int(1, 3000), random.int(0x20, 0x7e)));
  }
  return pieces;
}
