import { afterEach, describe, expect, it } from 'vitest';
import { AtBackend } from '../../src/at/at-backend.js';
import { OSError, errno } from '../../src/errors.js';
import { createUsocket } from '../../src/usocket/module.js';
import { createWlan } from '../../src/wlan.js';
import { ScriptedModule } from './scripted-module.js';

const opened: AtBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.close()));
});

async function start(module = new ScriptedModule()) {
  const backend = await AtBackend.open(module, { busyRetryMs: 10, pollIntervalMs: 40 });
  opened.push(backend);
  return { m: module, backend, usocket: createUsocket(backend), wlan: createWlan(backend.wlan) };
}

async function errOf(p: Promise<unknown>): Promise<OSError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OSError) return err;
    throw err;
  }
  throw new Error('expected an OSError');
}

const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString());

describe('AT engine: synchronisation', () => {
  it('brings a 2.x module into passive multi-link mode, ignoring the echo', async () => {
    const { m, backend } = await start();
    expect(m.lines).toEqual([
      'AT',
      'ATE0',
      'AT+GMR',
      'AT+CWMODE?',
      'AT+CIPSERVER=0',
      'AT+CIPCLOSE=5',
      'AT+CIPMUX?',
      'AT+CIPMUX=1',
      'AT+CIPRECVMODE=1',
      'AT+CIPDINFO=1',
      'AT+CIPSENDLCFG=1048576,2920',
      'AT+CIFSR',
    ]);
    expect(backend.info.name).toContain('2.4.0.0');
    expect(backend.facts).toMatchObject({ profileId: 'esp32-at-2.x', passive: true, maxSend: 8192 });
  });

  it('recognises NonOS AT 1.7 and speaks its dialect', async () => {
    const m = new ScriptedModule();
    m.profile = '1.7';
    const { backend, usocket } = await start(m);
    expect(backend.facts).toMatchObject({ profileId: 'esp8266-at-1.7', maxSend: 2048 });
    expect(m.lines).toContain('AT+CWMODE_CUR?');
    m.on(/^AT\+CIPDOMAIN=/, '+CIPDOMAIN:93.184.216.34\r\n\r\nOK\r\n');
    expect((await usocket.getaddrinfo('example.com', 80))[0][4]).toEqual(['93.184.216.34', 80]);
    m.on(/^AT\+CIPDOMAIN=/, 'DNS Fail\r\n\r\nERROR\r\n');
    expect((await errOf(usocket.getaddrinfo('nowhere.example', 80))).errno).toBeLessThan(0);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    expect(await s.send('abc')).toBe(3);
    expect(m.payloads.map(String)).toEqual(['abc']);
    m.arrive(0, 'hello 1.7');
    expect(text(await s.recv(100))).toBe('hello 1.7');
  });

  it('falls back to active receive when the firmware has no passive mode', async () => {
    const m = new ScriptedModule();
    m.on(/^AT\+CIPRECVMODE=1$/, '\r\nERROR\r\n');
    const { backend, usocket } = await start(m);
    expect(backend.facts?.passive).toBe(false);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    m.emit('\r\n+IPD,0,11,"127.0.0.1",80:hello\r\nOK\r\n');
    expect(text(await s.read(11))).toBe('hello\r\nOK\r\n');
    expect(m.commands('AT+CIPRECVDATA')).toEqual([]);
  });

  it('fails open() with a clear error when nothing answers', async () => {
    const m = new ScriptedModule();
    // After two silent probes the engine tries `+++` (a module left in transparent mode), so one
    // probe line reads `+++AT`.
    m.on(/^(\+\+\+)?AT$/, () => undefined);
    const err = await errOf(AtBackend.open(m, { probeTimeoutMs: 30, transparent: { guardMs: 1, settleMs: 1 } }).then(() => undefined));
    expect(err.errno).toBe(errno.ETIMEDOUT);
    expect(err.message).toMatch(/no answer to AT/);
    expect(m.lines.filter((l) => /^(\+\+\+)?AT$/.test(l))).toHaveLength(5);
  });
});

describe('AT engine: TCP links', () => {
  it('connects, sends in chunks the module accepts, and reads passively', async () => {
    const { m, usocket } = await start();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 8080]);
    expect(m.commands('AT+CIPSTART')).toEqual(['AT+CIPSTART=0,"TCP","127.0.0.1",8080']);
    const big = Buffer.alloc(20000, 0x61);
    await s.sendall(big);
    // ESP-AT 2.4 has AT+CIPSENDL: one long send in parallel with the UART instead of three CIPSENDs.
    expect(m.sends()).toEqual(['AT+CIPSENDL=0,20000']);
    expect(Buffer.concat(m.payloads).equals(big)).toBe(true);
    m.arrive(0, 'line one\nline two\n');
    expect(text(await s.readline())).toBe('line one\n');
    expect(text(await s.readline())).toBe('line two\n');
    // One read fetched both lines; the rest was served from the socket's look-ahead.
    expect(m.commands('AT+CIPRECVDATA')).toHaveLength(1);
  });

  it('reads data still buffered when CLOSED arrives, then EOF (peers.md E3)', async () => {
    const { m, usocket } = await start();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    m.arrive(0, 'tail');
    m.emit('0,CLOSED\r\n');
    await new Promise((r) => setTimeout(r, 20));
    expect(text(await s.read())).toBe('tail');
    expect(text(await s.recv(10))).toBe('');
    await s.close();
    expect(m.commands('AT+CIPCLOSE=0')).toEqual([]);
  });

  it('finds data whose notice never came (peers.md E2)', async () => {
    const { m, usocket } = await start();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    s.settimeout(2);
    const pending = s.recv(100);
    m.arrive(0, 'silent', undefined, false);
    expect(text(await pending)).toBe('silent');
    expect(m.commands('AT+CIPRECVLEN?').length).toBeGreaterThan(0);
  });

  it('closes with CIPCLOSE and reuses the id', async () => {
    const { m, usocket } = await start();
    const a = usocket.socket();
    const b = usocket.socket();
    await a.connect(['127.0.0.1', 1]);
    await b.connect(['127.0.0.1', 2]);
    await a.close();
    const c = usocket.socket();
    await c.connect(['127.0.0.1', 3]);
    expect(m.commands('AT+CIPSTART')).toEqual([
      'AT+CIPSTART=0,"TCP","127.0.0.1",1',
      'AT+CIPSTART=1,"TCP","127.0.0.1",2',
      'AT+CIPSTART=0,"TCP","127.0.0.1",3',
    ]);
    expect(m.commands('AT+CIPCLOSE=0')).toHaveLength(1);
  });

  it('maps a refused connect and a missing IP to errors that say why', async () => {
    const { m, usocket } = await start();
    m.on(/^AT\+CIPSTART/, '\r\nERROR\r\n');
    const err = await errOf(usocket.socket().connect(['127.0.0.1', 1]));
    expect(err.errno).toBe(errno.EHOSTUNREACH);
    m.emit('WIFI CONNECTED\r\nWIFI GOT IP\r\n');
    await new Promise((r) => setTimeout(r, 20));
    expect((await errOf(usocket.socket().connect(['127.0.0.1', 1]))).errno).toBe(errno.ECONNREFUSED);
  });

  it('runs out of links after five with ENFILE', async () => {
    const { usocket } = await start();
    for (let i = 0; i < 5; i++) await usocket.socket().connect(['127.0.0.1', 100 + i]);
    expect((await errOf(usocket.socket().connect(['127.0.0.1', 1]))).errno).toBe(errno.ENFILE);
  });

  it('waits out busy p... and re-sends the command', async () => {
    const { m, usocket } = await start();
    m.on(/^AT\+CIPSTART/, '\r\nbusy p...\r\n', 2);
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    expect(m.commands('AT+CIPSTART')).toHaveLength(3);
  });

  it('fails a stream after SEND FAIL (unknown amount sent, peers.md E7)', async () => {
    const { m, usocket } = await start();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    m.on(/^AT\+CIPSEND/, (_l, mod) => {
      mod.expectPayload(0);
      return '\r\nOK\r\n\r\n>';
    });
    m.on(/^xyz$/, '');
    const sent = s.send('xyz');
    await m.waitFor((l) => l.some((x) => x.startsWith('AT+CIPSEND')));
    await new Promise((r) => setTimeout(r, 20));
    m.emit('\r\nSEND FAIL\r\n');
    expect((await errOf(sent)).errno).toBe(errno.EIO);
    expect((await errOf(s.send('more'))).errno).toBe(errno.EIO);
  });
});

describe('AT engine: module reset', () => {
  it('fails open sockets with a clear error, resynchronises, and works again', async () => {
    const { m, usocket } = await start();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    const blocked = s.recv(10);
    const before = m.lines.length;
    m.echo = true;
    m.emit('\r\nready\r\n');
    const err = await errOf(blocked);
    expect(err.errno).toBe(errno.ECONNABORTED);
    expect(err.message).toMatch(/restarted/);
    expect((await errOf(s.send('x'))).errno).toBe(errno.ECONNABORTED);
    const t = usocket.socket();
    await t.connect(['127.0.0.1', 81]);
    const after = m.lines.slice(before).filter((l) => l !== 'AT+CIPRECVLEN?');
    expect(after.slice(0, 3)).toEqual(['AT', 'ATE0', 'AT+GMR']);
    expect(after).toContain('AT+CIPRECVMODE=1');
    expect(after.at(-1)).toBe('AT+CIPSTART=0,"TCP","127.0.0.1",81');
    await s.close();
  });
});

describe('AT engine: server and UDP', () => {
  it('accepts clients with their addresses, even when one takes the id of a CIPSTART', async () => {
    const { m, usocket } = await start();
    m.on(/^AT\+CIPSTATE\?$/, '+CIPSTATE:0,"TCP","127.0.0.1",50001,8080,1\r\n+CIPSTATE:1,"TCP","127.0.0.1",50002,8080,1\r\n\r\nOK\r\n');
    const srv = usocket.socket();
    await srv.bind(['0.0.0.0', 8080]);
    await srv.listen(3);
    expect(m.commands('AT+CIPSERVER')).toContain('AT+CIPSERVER=1,8080');
    expect(m.commands('AT+CIPSERVERMAXCONN')).toEqual(['AT+CIPSERVERMAXCONN=3']);
    // A client lands on id 0 right as our CIPSTART claims it.
    m.on(/^AT\+CIPSTART=0,/, '0,CONNECT\r\nALREADY CONNECTED\r\n\r\nERROR\r\n', 1);
    const out = usocket.socket();
    await out.connect(['127.0.0.1', 9]);
    expect(m.commands('AT+CIPSTART')).toEqual(['AT+CIPSTART=0,"TCP","127.0.0.1",9', 'AT+CIPSTART=1,"TCP","127.0.0.1",9']);
    const [conn, addr] = await srv.accept();
    expect(addr).toEqual(['127.0.0.1', 50001]);
    m.arrive(0, 'from client');
    expect(text(await conn.recv(50))).toBe('from client');
    srv.settimeout(0.05);
    expect((await errOf(srv.accept())).errno).toBe(errno.ETIMEDOUT);
    await srv.close();
    expect(m.commands('AT+CIPSERVER=0').length).toBeGreaterThan(1);
  });

  it('opens a bound UDP link and reports each datagram with its sender', async () => {
    const { m, usocket } = await start();
    const s = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
    await s.bind(['0.0.0.0', 5005]);
    expect(m.commands('AT+CIPSTART')).toEqual(['AT+CIPSTART=0,"UDP","0.0.0.0",5005,5005,2']);
    expect(await s.sendto('ping', ['127.0.0.1', 9999])).toBe(4);
    expect(m.sends()).toEqual(['AT+CIPSEND=0,4,"127.0.0.1",9999']);
    m.arrive(0, 'one', { ip: '127.0.0.1', port: 9999 });
    m.arrive(0, 'second', { ip: '127.0.0.2', port: 7 }, false);
    const [d1, a1] = await s.recvfrom(100);
    expect([text(d1), a1]).toEqual(['one', ['127.0.0.1', 9999]]);
    const [d2, a2] = await s.recvfrom(3);
    expect([text(d2), a2]).toEqual(['sec', ['127.0.0.2', 7]]);
    expect(m.commands('AT+CIPRECVDATA').every((c) => c === 'AT+CIPRECVDATA=0,8192')).toBe(true);
  });
});

describe('AT engine: WLAN', () => {
  it('joins, tracks the state from WIFI messages, scans and reads the addresses', async () => {
    const { m, wlan } = await start();
    expect(wlan.isconnected()).toBe(false);
    m.on(/^AT\+CWJAP=/, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await wlan.connect('copro-lab', 'labpass123');
    expect(m.commands('AT+CWJAP')).toEqual(['AT+CWJAP="copro-lab","labpass123"']);
    expect(wlan.isconnected()).toBe(true);
    expect(wlan.status()).toBe(wlan.STAT_GOT_IP);
    m.on(/^AT\+CIPSTA\?$/, '+CIPSTA:ip:"192.168.4.2"\r\n+CIPSTA:gateway:"192.168.4.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n\r\nOK\r\n');
    m.on(/^AT\+CIPDNS\?$/, '+CIPDNS:1,"192.168.4.1"\r\n\r\nOK\r\n');
    expect(await wlan.ifconfig()).toEqual(['192.168.4.2', '255.255.255.0', '192.168.4.1', '192.168.4.1']);
    m.on(/^AT\+CWLAP$/, '+CWLAP:(3,"copro-lab",-45,"02:00:00:00:00:01",6,-1,-1,4,4,7,0)\r\n+CWLAP:(0,"a,\\"b",-80,"02:00:00:00:00:02",11,0,0,0,0,7,0)\r\n\r\nOK\r\n');
    const aps = await wlan.scan();
    expect(aps).toEqual([
      ['copro-lab', '02:00:00:00:00:01', 6, -45, 3, false],
      ['a,\\"b', '02:00:00:00:00:02', 11, -80, 0, false],
    ]);
    m.emit('WIFI DISCONNECT\r\n');
    await new Promise((r) => setTimeout(r, 20));
    expect(wlan.isconnected()).toBe(false);
  });

  it('reports join failures in both dialects', async () => {
    const { m, wlan } = await start();
    m.on(/^AT\+CWJAP=/, '+CWJAP:2\r\n\r\nERROR\r\n');
    expect((await errOf(wlan.connect('copro-lab', 'bad'))).errno).toBe(errno.EACCES);
    expect(wlan.status()).toBe(wlan.STAT_WRONG_PASSWORD);
    const old = new ScriptedModule();
    old.profile = '1.7';
    const v17 = await start(old);
    old.on(/^AT\+CWJAP_CUR=/, '+CWJAP:3\r\n\r\nFAIL\r\n');
    expect((await errOf(v17.wlan.connect('nope', 'x'))).errno).toBe(errno.ENOENT);
    expect(v17.wlan.status()).toBe(v17.wlan.STAT_NO_AP_FOUND);
  });
});
