import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ESP32_AT_2X,
  ESP8266_AT_17,
  HostResponseParser,
  ModuleInputParser,
  PROFILES,
  PROFILE_IDS,
  finalResult,
  formatCommand,
  formatUrc,
  infoLine,
  ipd,
  okPrompt,
  parseParams,
  quoteParam,
  recvBytes,
  recvData,
  mqttSubRecv,
  textLine,
  type FirmwareProfile,
  type HostEvent,
  type ModuleInputEvent,
  type Urc,
} from '../../firmware-protocol/index.js';
import { bytes, chunked, mergeRuns, parseModule, plain, reactingConsumer } from './helpers.js';

const RUNS = { numRuns: 150 };
const HOST_LINE_LIMIT = 512;
const MODULE_LINE_LIMIT = 64;

const payload = fc.uint8Array({ maxLength: 40 });
const link = fc.option(fc.integer({ min: 0, max: 4 }), { nil: null });
const remote = fc.option(
  fc.record({ ip: fc.constantFrom('10.0.0.1', '192.168.4.2', 'fe80::1'), port: fc.integer({ min: 0, max: 65535 }) }),
  { nil: null },
);
const urc: fc.Arbitrary<Urc> = fc.oneof(
  fc.constant<Urc>({ kind: 'ready' }),
  link.map<Urc>((l) => ({ kind: 'connect', link: l })),
  link.map<Urc>((l) => ({ kind: 'closed', link: l })),
  fc.constant<Urc>({ kind: 'wifi-got-ip' }),
  fc.constant<Urc>({ kind: 'busy', which: 'p' }),
  fc.constant<Urc>({ kind: 'mqtt-disconnected', link: 0 }),
  fc.record({ host: fc.constantFrom('127.0.0.1', 'broker.lab'), port: fc.integer({ min: 1, max: 65535 }) }).map<Urc>(({ host, port }) => ({
    kind: 'mqtt-connected',
    link: 0,
    scheme: 1,
    host,
    port: String(port),
    path: '',
    reconnect: 1,
  })),
  fc.record({ l: link, n: fc.integer({ min: 1, max: 6000 }) }).map<Urc>(({ l, n }) => ({
    kind: 'ipd-notice',
    link: l,
    length: n,
  })),
);

/** Realistic pieces of module output for a profile, plus noise. */
function modulePiece(profile: FirmwareProfile): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.constantFrom('OK', 'ERROR', 'FAIL', 'SEND OK').map((r) => finalResult(r as 'OK')),
    urc.map(formatUrc),
    fc.tuple(fc.constantFrom('CWMODE', 'CIFSR', 'CWLAP'), fc.string({ maxLength: 30 })).map(([n, t]) => infoLine(n, t)),
    fc.constant(okPrompt(profile)),
    fc.nat({ max: 9000 }).map(recvBytes),
    fc.tuple(link, payload, remote).map(([l, d, r]) => ipd(profile, l, d, r)),
    payload.map((d) => recvData(profile, d)),
    fc.tuple(fc.stringMatching(/^[a-z/#+]{0,20}$/), payload).map(([topic, d]) => mqttSubRecv(profile, 0, topic, d)),
    fc.string({ maxLength: 700 }).map(textLine),
    fc.uint8Array({ maxLength: 60 }),
    fc.constantFrom('\r\n+IPD,0,99999999:', '+IPD,', '>', '\r', '\n', '+CIPRECVDATA:', ' ').map(bytes),
  );
}

function hostEvents(
  profile: FirmwareProfile,
  chunks: readonly Uint8Array[],
  passthroughAfterPrompts: number | null,
): HostEvent[] {
  const parser = new HostResponseParser(profile, { maxLineLength: HOST_LINE_LIMIT, maxPayloadLength: 4096 });
  const events: HostEvent[] = [];
  let prompts = 0;
  for (const chunk of chunks) {
    parser.push(chunk);
    for (let e = parser.next(); e !== undefined; e = parser.next()) {
      events.push(e);
      if (e.type === 'prompt' && ++prompts === passthroughAfterPrompts) parser.enterPassthrough();
    }
    expect(parser.bufferedLength).toBeLessThanOrEqual(4096);
    if (parser.mode === 'lines') expect(parser.bufferedLength).toBeLessThanOrEqual(HOST_LINE_LIMIT);
  }
  return mergeRuns(events);
}

function moduleEvents(chunks: readonly Uint8Array[]): ModuleInputEvent[] {
  const parser = new ModuleInputParser({ maxLineLength: MODULE_LINE_LIMIT });
  const react = reactingConsumer(parser);
  const events: ModuleInputEvent[] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (let e = parser.next(); e !== undefined; e = parser.next()) {
      events.push(e);
      react(e);
    }
    expect(parser.lineBufferLength).toBeLessThanOrEqual(MODULE_LINE_LIMIT + 1);
  }
  return mergeRuns(events);
}

const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 40 });

describe('HostResponseParser: chunking does not change the events', () => {
  it.each(PROFILE_IDS)('for realistic %s output', (id) => {
    const profile = PROFILES[id];
    fc.assert(
      fc.property(
        fc.array(modulePiece(profile), { maxLength: 25 }),
        cuts,
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
        (pieces, points, passthrough) => {
          const wire = Buffer.concat(pieces);
          const whole = hostEvents(profile, [wire], passthrough);
          const split = hostEvents(profile, chunked(wire, points), passthrough);
          expect(plain(split)).toEqual(plain(whole));
          const bytewise = hostEvents(profile, chunked(wire, [...wire.keys()]), passthrough);
          expect(plain(bytewise)).toEqual(plain(whole));
        },
      ),
      RUNS,
    );
  });

  it('for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), cuts, (wire, points) => {
        const whole = hostEvents(ESP8266_AT_17, [wire], null);
        expect(plain(hostEvents(ESP8266_AT_17, chunked(wire, points), null))).toEqual(plain(whole));
      }),
      RUNS,
    );
  });
});

/** Host-side pieces: commands (some with data), garbage, long lines. */
const hostPiece: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom('AT\r\n', 'ATE0\r\n', 'AT+GMR\r\n', 'AT+CIPMUX?\r\n', 'at\r\n', '\r\n', 'AT+X="\r\n').map(bytes),
  fc.tuple(fc.integer({ min: 0, max: 4 }), fc.uint8Array({ minLength: 1, maxLength: 40 })).map(([l, d]) =>
    Buffer.concat([formatCommand('CIPSEND', 'set', [l, d.length]), d]),
  ),
  fc.tuple(fc.integer({ min: 1, max: 30 }), fc.uint8Array({ maxLength: 40 })).map(([n, d]) =>
    Buffer.concat([formatCommand('CIPSENDEX', 'set', [n]), d, bytes('\\0')]),
  ),
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([s, p]) =>
    formatCommand('CWJAP', 'set', [s.replaceAll('\r\n', ''), p.replaceAll('\r\n', '')]),
  ),
  fc.string({ maxLength: 200 }).map((s) => bytes(`AT+${s}\r\n`)),
  fc.uint8Array({ maxLength: 80 }),
);

describe('ModuleInputParser: chunking does not change the events', () => {
  it('for realistic host input, with the consumer switching modes', () => {
    fc.assert(
      fc.property(fc.array(hostPiece, { maxLength: 20 }), cuts, (pieces, points) => {
        const wire = Buffer.concat(pieces);
        const whole = moduleEvents([wire]);
        expect(plain(moduleEvents(chunked(wire, points)))).toEqual(plain(whole));
        expect(plain(moduleEvents(chunked(wire, [...wire.keys()])))).toEqual(plain(whole));
      }),
      RUNS,
    );
  });

  it('for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), cuts, (wire, points) => {
        const whole = moduleEvents([wire]);
        expect(plain(moduleEvents(chunked(wire, points)))).toEqual(plain(whole));
      }),
      RUNS,
    );
  });

  it('echoes every command-mode byte, the completing LF as CR LF', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (wire) => {
        const echoed = Buffer.concat(
          moduleEvents([wire]).flatMap((e) => (e.type === 'echo' ? [e.bytes] : [])),
        ).toString('latin1');
        expect(echoed).toBe(Buffer.from(wire).toString('latin1').replaceAll('\r\n', '\r\r\n'));
      }),
      RUNS,
    );
  });
});

describe('parameters round-trip', () => {
  it('quoteParam then parseParams gives the string back', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary-ascii', maxLength: 30 }), { minLength: 1, maxLength: 5 }), (values) => {
        const parsed = parseParams(values.map(quoteParam).join(','));
        expect(parsed).toEqual({ ok: true, params: values.map((value) => ({ kind: 'string', value })) });
      }),
      RUNS,
    );
  });

  it('formatCommand then the module parser gives the values back', () => {
    const ssid = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => Buffer.byteLength(s) <= 32 && !s.includes('\r\n'));
    fc.assert(
      fc.property(ssid, ssid, fc.option(fc.integer({ min: 0, max: 7200 }), { nil: undefined }), (s, p, reconnect) => {
        const wire = formatCommand('CWJAP', 'set', [s, p, undefined, undefined, reconnect]);
        const command = parseModule([wire]).find((e) => e.type === 'command');
        const asText = (v: string) => Buffer.from(v, 'latin1').toString('utf8');
        expect(command?.type).toBe('command');
        if (command?.type !== 'command') return;
        const [first, second, , , fifth] = command.command.params;
        expect(first.kind === 'string' && asText(first.value)).toBe(s);
        expect(second.kind === 'string' && asText(second.value)).toBe(p);
        expect(fifth).toEqual(reconnect === undefined ? undefined : { kind: 'int', value: reconnect });
      }),
      RUNS,
    );
  });
});

describe('profiles under the property tests', () => {
  it('cover both prompt styles', () => {
    expect(new Set([ESP32_AT_2X.promptText, ESP8266_AT_17.promptText]).size).toBe(2);
  });
});
