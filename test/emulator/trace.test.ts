import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTracer, escapeBytes } from '../../emulator/trace.js';
import { Cleanup, TcpPeer, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('tracer', () => {
  it('escapes bytes readably', () => {
    expect(escapeBytes(Buffer.from('AT\r\n\\x\x00\xff', 'latin1'))).toBe('AT\\r\\n\\\\x\\x00\\xff');
  });

  it('logs both directions with timestamps, link ids and network notes', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    let clock = 0;
    const tracer = createTracer(out, { now: () => (clock += 1) });
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup, { trace: tracer });
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    // One line per event: "<seconds> <direction> [links] <escaped bytes>"; the fake clock ticks 1 ms per event.
    const lines = text.trimEnd().split('\n');
    expect(lines.every((line) => /^ +\d+\.\d{3} [<>*] /.test(line))).toBe(true);
    expect(lines).toContain('    0.003 > \\r\\nready\\r\\n');
    expect(lines.slice(3, 6).map((line) => line.slice(10))).toEqual(['< AT\\r\\n', '> AT\\r\\r\\n', '> \\r\\nOK\\r\\n']);
    expect(lines.some((line) => line.includes('* station got IP 192.168.10.42'))).toBe(true);
    expect(lines.some((line) => line.includes(`* [0] link 0 → 127.0.0.1:${peer.port} (TCP, local port `))).toBe(true);
    expect(lines.slice(-2).map((line) => line.slice(10))).toEqual(['> [0] 0,CONNECT\\r\\n', '> [0] \\r\\nOK\\r\\n']);
  });
});
