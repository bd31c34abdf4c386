/**
 * The driver's fast paths against a scripted module (issue 6): what goes on the wire, and when —
 * in the same turn as the answer that allows it, not after an idle line. Behaviour only: no
 * clocks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AtBackend } from '../../src/at/at-backend.js';
import { createUsocket } from '../../src/usocket/module.js';
import { ScriptedModule } from './scripted-module.js';

const opened: AtBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.close()));
});

/**
 * A scripted module that also records which command lines the driver wrote while it was still
 * handling a given answer (synchronously, inside the same delivery of module bytes).
 */
function instrumented(profile: '2.x' | 'rtos-2.2' | '1.7' = '2.x') {
  const m = new ScriptedModule();
  m.profile = profile;
  let delivering = '';
  const sameTurn: { after: string; wrote: string }[] = [];
  const onData = m.onData.bind(m);
  m.onData = (listener) =>
    onData((bytes) => {
      delivering = Buffer.from(bytes).toString('latin1');
      try {
        listener(bytes);
      } finally {
        delivering = '';
      }
    });
  const write = m.write.bind(m);
  m.write = async (bytes) => {
    if (delivering !== '') sameTurn.push({ after: delivering, wrote: Buffer.from(bytes).toString('latin1') });
    return write(bytes);
  };
  return { m, sameTurn };
}

async function start(m: ScriptedModule) {
  const backend = await AtBackend.open(m, { busyRetryMs: 10, pollIntervalMs: 40 });
  opened.push(backend);
  return { backend, usocket: createUsocket(backend) };
}

function pattern(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff));
}

describe('fast paths: CIPSEND', () => {
  it('sends a long sendall as one AT+CIPSENDL where the firmware has it (ESP-AT 2.4)', async () => {
    const { m } = instrumented();
    const { usocket } = await start(m);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    const before = m.lines.length;
    const data = pattern(20_000);
    await s.sendall(data);
    expect(m.lines.slice(before)).toEqual(['AT+CIPSENDL=0,20000']);
    expect(Buffer.concat(m.payloads)).toEqual(data);
  });

  it('sends a multi-chunk sendall as the largest CIPSENDs where there is no CIPSENDL (ESP-AT 2.2), with no command between them', async () => {
    const { m } = instrumented('rtos-2.2');
    const { usocket } = await start(m);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    const before = m.lines.length;
    const data = pattern(5000);
    await s.sendall(data);
    expect(m.lines.slice(before)).toEqual(['AT+CIPSEND=0,2048', 'AT+CIPSEND=0,2048', 'AT+CIPSEND=0,904']);
    expect(Buffer.concat(m.payloads)).toEqual(data);
  });

  it('writes the next AT+CIPSEND= while handling the SEND OK that allows it (no idle line)', async () => {
    const { m, sameTurn } = instrumented();
    const { usocket } = await start(m);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    await s.sendall(pattern(3 * 65536 + 1));
    const afterSendOk = sameTurn.filter((w) => w.after.includes('SEND OK')).map((w) => w.wrote);
    expect(afterSendOk).toEqual(['AT+CIPSENDL=0,65536\r\n', 'AT+CIPSENDL=0,65536\r\n', 'AT+CIPSENDL=0,1\r\n']);
  });

  it('uses the 2048-byte chunk of NonOS AT 1.7', async () => {
    const { m } = instrumented('1.7');
    const { usocket } = await start(m);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    const before = m.lines.length;
    await s.sendall(pattern(5000));
    expect(m.lines.slice(before)).toEqual(['AT+CIPSEND=0,2048', 'AT+CIPSEND=0,2048', 'AT+CIPSEND=0,904']);
  });

  it('stops the chain at SEND FAIL: no further chunk is sent and the stream fails', async () => {
    const { m } = instrumented();
    const { usocket } = await start(m);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    // The module takes the first chunk's payload without answering; the test answers SEND FAIL.
    m.on(/^AT\+CIPSEND/, (_line, mod) => {
      mod.expectPayload(0);
      return '\r\nOK\r\n\r\n>';
    });
    const sending = s.sendall(pattern(3 * 65536));
    await m.waitFor((lines) => lines.some((l) => l.startsWith('AT+CIPSEND')));
    await new Promise((r) => setTimeout(r, 20));
    m.emit('+CIPSENDL:2920,65536\r\n\r\nSEND FAIL\r\n');
    await expect(sending).rejects.toMatchObject({ errno: 5 });
    expect(m.sends()).toEqual(['AT+CIPSENDL=0,65536']);
  });

  it('a non-blocking send() hands over one exchange at most', async () => {
    const { m } = instrumented();
    const { usocket } = await start(m);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    s.setblocking(false);
    expect(await s.send(pattern(20_000))).toBe(2048);
    expect(m.sends()).toEqual(['AT+CIPSEND=0,2048']);
  });
});

describe('fast paths: passive reads', () => {
  it('asks for what the module holds, not for what the application asked', async () => {
    const { m } = instrumented();
    const { usocket } = await start(m);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    m.arrive(0, pattern(300));
    expect(Buffer.from(await s.recv(4096))).toEqual(pattern(300));
    m.arrive(0, pattern(200));
    expect(Buffer.from(await s.recv(4096))).toEqual(pattern(200));
    expect(m.commands('AT+CIPRECVDATA')).toEqual(['AT+CIPRECVDATA=0,300', 'AT+CIPRECVDATA=0,200']);
  });

  it('reads a backlog larger than one CIPRECVDATA as a chain of the largest reads, each queued from the previous OK', async () => {
    const { m, sameTurn } = instrumented();
    const { usocket } = await start(m);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    const data = pattern(20_000);
    m.arrive(0, data);
    expect(await s.read(20_000)).toEqual(data);
    // After a full read the module may hold more than announced (data goes on arriving): the
    // largest read again, and the short one ends the chain.
    expect(m.commands('AT+CIPRECVDATA')).toEqual(['AT+CIPRECVDATA=0,8192', 'AT+CIPRECVDATA=0,8192', 'AT+CIPRECVDATA=0,8192']);
    const chained = sameTurn.filter((w) => w.after.includes('+CIPRECVDATA:')).map((w) => w.wrote);
    expect(chained).toEqual(['AT+CIPRECVDATA=0,8192\r\n', 'AT+CIPRECVDATA=0,8192\r\n']);
  });

  it('keeps to the 2048-byte read of NonOS AT 1.7', async () => {
    const { m } = instrumented('1.7');
    const { usocket } = await start(m);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    m.arrive(0, pattern(3000));
    expect(await s.read(3000)).toEqual(pattern(3000));
    expect(m.commands('AT+CIPRECVDATA')).toEqual(['AT+CIPRECVDATA=0,2048', 'AT+CIPRECVDATA=0,2048']);
  });

  it('asks UDP for a whole datagram whatever is buffered (the rest of a datagram would be lost)', async () => {
    const { m } = instrumented();
    const { usocket } = await start(m);
    const s = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
    await s.connect(['127.0.0.1', 5000]);
    m.arrive(0, pattern(100));
    expect(Buffer.from(await s.recv(50))).toEqual(pattern(50));
    expect(m.commands('AT+CIPRECVDATA')).toEqual(['AT+CIPRECVDATA=0,8192']);
  });
});
