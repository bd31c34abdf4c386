import { describe, expect, it } from 'vitest';
import { ModuleInputParser, type ModuleInputEvent } from '../../firmware-protocol/index.js';
import { bytes, mergeRuns, parseModule, plain, reactingConsumer, text } from './helpers.js';

function commands(events: readonly ModuleInputEvent[]) {
  return events.filter((e) => e.type !== 'echo');
}

function echoOf(events: readonly ModuleInputEvent[]): string {
  return events.map((e) => (e.type === 'echo' ? text(e.bytes) : '')).join('');
}

function only(input: string) {
  const events = commands(parseModule(input));
  expect(events).toHaveLength(1);
  return events[0];
}

describe('ModuleInputParser command mode', () => {
  it('parses the four forms and the basic commands', () => {
    expect(only('AT\r\n')).toEqual({ type: 'command', command: { name: 'AT', form: 'exec', params: [], line: 'AT' } });
    expect(only('ATE0\r\n')).toMatchObject({ command: { name: 'ATE0', form: 'exec' } });
    expect(only('ATE1\r\n')).toMatchObject({ command: { name: 'ATE1', form: 'exec' } });
    expect(only('AT+CWMODE=?\r\n')).toMatchObject({ command: { name: 'CWMODE', form: 'test' } });
    expect(only('AT+CWMODE?\r\n')).toMatchObject({ command: { name: 'CWMODE', form: 'query' } });
    expect(only('AT+CIPCLOSE\r\n')).toMatchObject({ command: { name: 'CIPCLOSE', form: 'exec' } });
    expect(only('AT+CWJAP="a\\,b","pw",,1\r\n')).toEqual({
      type: 'command',
      command: {
        name: 'CWJAP',
        form: 'set',
        params: [
          { kind: 'string', value: 'a,b' },
          { kind: 'string', value: 'pw' },
          { kind: 'empty' },
          { kind: 'int', value: 1 },
        ],
        line: 'AT+CWJAP="a\\,b","pw",,1',
      },
    });
  });

  it('passes unknown and lower-case names through for the table to refuse', () => {
    expect(only('AT+cwmode?\r\n')).toMatchObject({ command: { name: 'cwmode', form: 'query' } });
    expect(only('AT+FAKE\r\n')).toMatchObject({ command: { name: 'FAKE', form: 'exec' } });
    expect(only('AT+CWMODE?x\r\n')).toMatchObject({ command: { name: 'CWMODE?x', form: 'exec' } });
    expect(only('ATI\r\n')).toMatchObject({ command: { name: 'ATI', form: 'exec' } });
  });

  it('rejects lines without upper-case AT, and unparsable parameters', () => {
    expect(only('at\r\n')).toEqual({ type: 'rejected', line: 'at', reason: 'no-at' });
    expect(only('At+GMR\r\n')).toEqual({ type: 'rejected', line: 'At+GMR', reason: 'no-at' });
    expect(only('hello\r\n')).toEqual({ type: 'rejected', line: 'hello', reason: 'no-at' });
    expect(only('AT+CIPSTART=TCP,"h",80\r\n')).toMatchObject({ type: 'rejected', reason: 'param-parse' });
    expect(only('AT+CWJAP="open\r\n')).toMatchObject({ type: 'rejected', reason: 'param-parse' });
  });

  it('echoes AT\\r\\n as AT\\r\\r\\n, whatever the chunking', () => {
    expect(echoOf(parseModule('AT\r\n'))).toBe('AT\r\r\n');
    expect(echoOf(parseModule([bytes('A'), bytes('T\r'), bytes('\n')]))).toBe('AT\r\r\n');
    expect(echoOf(parseModule('AT+GMR\r\nATE0\r\n'))).toBe('AT+GMR\r\r\nATE0\r\r\n');
  });

  it('echoes input without a terminator and does not execute it', () => {
    const events = parseModule('AT+GMR');
    expect(plain(events)).toEqual(plain([{ type: 'echo', bytes: bytes('AT+GMR') }]));
  });

  it('needs CR LF: a bare LF or CR stays inside the line', () => {
    expect(commands(parseModule('AT\n'))).toEqual([]);
    // The firmware sees one line `AT<LF>AT`: an unknown basic command.
    expect(only('AT\nAT\r\n')).toMatchObject({ type: 'command', command: { name: 'AT\nAT', form: 'exec' } });
    expect(only('\rAT\r\n')).toMatchObject({ type: 'rejected', reason: 'no-at' });
  });

  it('gives an empty line no event besides its echo', () => {
    const events = parseModule('AT\r\n\r\n');
    expect(commands(events)).toHaveLength(1);
    expect(echoOf(events)).toBe('AT\r\r\n\r\r\n');
  });

  it('rejects an over-long line once, keeps at most maxLineLength bytes, and resumes after it', () => {
    const parser = new ModuleInputParser({ maxLineLength: 16 });
    const long = `AT+CWJAP="${'x'.repeat(5000)}"\r\nAT\r\n`;
    const events = commands(parseModule(long, undefined, parser));
    expect(events).toEqual([
      { type: 'rejected', line: 'AT+CWJAP="xxxxxx', reason: 'too-long' },
      { type: 'command', command: { name: 'AT', form: 'exec', params: [], line: 'AT' } },
    ]);
    expect(parser.lineBufferLength).toBe(0);
  });

  it('accepts a line of exactly maxLineLength bytes', () => {
    const parser = new ModuleInputParser({ maxLineLength: 8 });
    const events = commands(parseModule(['AT+CIPMU', '\r', '\n'].map(bytes), undefined, parser));
    expect(events).toMatchObject([{ type: 'command', command: { name: 'CIPMU' } }]);
    const over = commands(parseModule('AT+CIPMUX\r\n', undefined, new ModuleInputParser({ maxLineLength: 8 })));
    expect(over).toMatchObject([{ type: 'rejected', reason: 'too-long' }]);
  });

  it('never buffers more than maxLineLength + 1 bytes', () => {
    const parser = new ModuleInputParser({ maxLineLength: 256 });
    for (let i = 0; i < 100; i += 1) {
      parser.push(bytes('y'.repeat(1000)));
      while (parser.next() !== undefined) {
        /* drain */
      }
      expect(parser.lineBufferLength).toBeLessThanOrEqual(257);
    }
  });
});

describe('ModuleInputParser data and passthrough modes', () => {
  it('takes exactly the declared payload after CIPSEND, unechoed, then parses commands again', () => {
    const events = mergeRuns(parseModule('AT+CIPSEND=0,5\r\nhel\r\nAT\r\n', reactingConsumer));
    expect(plain(events)).toEqual(
      plain([
        { type: 'echo', bytes: bytes('AT+CIPSEND=0,5\r\r\n') },
        { type: 'command', command: { name: 'CIPSEND', form: 'set', params: [{ kind: 'int', value: 0 }, { kind: 'int', value: 5 }], line: 'AT+CIPSEND=0,5' } },
        { type: 'data', bytes: bytes('hel\r\n') },
        { type: 'echo', bytes: bytes('AT\r\r\n') },
        { type: 'command', command: { name: 'AT', form: 'exec', params: [], line: 'AT' } },
      ]),
    );
  });

  it('does not interpret backslashes in CIPSEND data', () => {
    const events = parseModule('AT+CIPSEND=4\r\n\\0ab', reactingConsumer);
    expect(plain(events.filter((e) => e.type === 'data'))).toEqual(plain([{ type: 'data', bytes: bytes('\\0ab') }]));
  });

  it('ends CIPSENDEX data at \\0 and applies escapes', () => {
    const data = (input: string) =>
      plain(parseModule(input, reactingConsumer).filter((e) => e.type === 'data'));
    expect(data('AT+CIPSENDEX=100\r\nhello\\0AT\r\n')).toEqual(plain([{ type: 'data', bytes: bytes('hello') }]));
    expect(data('AT+CIPSENDEX=6\r\na\\\\0b\\,c')).toEqual(plain([{ type: 'data', bytes: bytes('a\\0b,c') }]));
    expect(data('AT+CIPSENDEX=3\r\nabcdef')).toEqual(plain([{ type: 'data', bytes: bytes('abc') }]));
    // A backslash split from its escaped byte across chunks.
    const split = parseModule([bytes('AT+CIPSENDEX=9\r\nxy\\'), bytes('0rest')], reactingConsumer);
    expect(plain(split.filter((e) => e.type === 'data'))).toEqual(plain([{ type: 'data', bytes: bytes('xy') }]));
  });

  it('returns to command mode right after a \\0 with the rest parsed as commands', () => {
    const events = commands(parseModule('AT+CIPSENDEX=0,50\r\nab\\0AT\r\n', reactingConsumer));
    expect(events.map((e) => e.type)).toEqual(['command', 'data', 'command']);
  });

  it('emits a zero-length payload at once', () => {
    const parser = new ModuleInputParser();
    parser.enterData(0);
    expect(plain(parser.next())).toEqual(plain({ type: 'data', bytes: new Uint8Array(0) }));
    expect(parser.mode).toBe('command');
  });

  it('passes raw bytes through in passthrough mode until told to leave', () => {
    const parser = new ModuleInputParser();
    const events = parseModule([bytes('AT+CIPSEND\r\n'), bytes('GET / HTTP/1.0\r\n\r\n'), bytes('+++')], reactingConsumer, parser);
    expect(parser.mode).toBe('passthrough');
    expect(plain(mergeRuns(commands(events)).slice(1))).toEqual(
      plain([{ type: 'passthrough', bytes: bytes('GET / HTTP/1.0\r\n\r\n+++') }]),
    );
    parser.leavePassthrough();
    parser.push(bytes('AT\r\n'));
    expect(parser.next()).toMatchObject({ type: 'echo' });
    expect(parser.next()).toMatchObject({ type: 'command', command: { name: 'AT' } });
  });

  it('forgets everything on reset', () => {
    const parser = new ModuleInputParser();
    parser.push(bytes('AT+GM'));
    parser.next();
    parser.enterData(10);
    parser.push(bytes('abc'));
    parser.reset();
    expect(parser.mode).toBe('command');
    expect(parser.unreadLength).toBe(0);
    parser.push(bytes('AT\r\n'));
    expect(commands(parseModule([], undefined, parser).concat(drain(parser)))).toHaveLength(1);
  });
});

function drain(parser: ModuleInputParser): ModuleInputEvent[] {
  const out: ModuleInputEvent[] = [];
  for (let e = parser.next(); e !== undefined; e = parser.next()) out.push(e);
  return out;
}
