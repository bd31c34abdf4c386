import { describe, expect, it } from 'vitest';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import type { Urc } from '../../firmware-protocol/at/types.js';
import { AtClient } from '../../src/at/at-client.js';
import { OSError, errno } from '../../src/errors.js';
import { fakeUntil, onFakeTime } from '../helpers/fake-time.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { ScriptedModule } from './scripted-module.js';

/** `clock`: the client's timers (deadlines, busy probes, the send quiet time) run on it. */
function client(module: ScriptedModule, busyRetryMs = 20, clock?: ManualClock) {
  const urcs: Urc[] = [];
  const resets: number[] = [];
  const ipds: string[] = [];
  const trace: string[] = [];
  const c = new AtClient(
    module,
    new HostResponseParser(DEFAULT_PROFILE),
    {
      onUrc: (u) => urcs.push(u),
      onIpd: (link, data) => ipds.push(`${link}:${Buffer.from(data).toString()}`),
      onReset: () => resets.push(Date.now()),
      onPortClosed: () => undefined,
    },
    { busyRetryMs, trace: (l) => trace.push(l), ...(clock ? { clock } : {}) },
  );
  return { c, urcs, resets, ipds, trace };
}

const req = (line: string, timeoutMs = 2000, payload?: Uint8Array) => ({ line: Buffer.from(`${line}\r\n`), timeoutMs, payload });

describe('AtClient', () => {
  it('drops the echo of its own command and collects info lines', async () => {
    const m = new ScriptedModule();
    const { c } = client(m);
    m.on(/^AT\+CWMODE\?$/, '+CWMODE:1\r\n\r\nOK\r\n');
    const reply = await c.run(req('AT+CWMODE?'));
    expect(reply.result).toBe('OK');
    expect(reply.infos).toEqual([{ name: 'CWMODE', text: '1' }]);
    expect(reply.lines).toEqual([]);
  });

  it('sends one command at a time, in order', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const { c } = client(m);
    const slow = c.run(req('AT+ONE'));
    const fast = c.run(req('AT+TWO'));
    await new Promise((r) => setTimeout(r, 20));
    expect(m.lines).toEqual(['AT+ONE', 'AT+TWO']);
    expect((await slow).result).toBe('OK');
    expect((await fast).result).toBe('OK');
  });

  it('routes URCs that arrive mid-command, and writes the payload after the prompt', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const { c, urcs, ipds } = client(m);
    m.on(/^AT\+CIPSEND=0,5$/, (_line, mod) => {
      // URCs between OK and '>' and an active +IPD with a payload that looks like a final result
      mod.emit('\r\nOK\r\n1,CONNECT\r\n\r\n+IPD,0,4:OK\r\n\r\n+IPD,2,7\r\n\r\n>');
      mod.expectPayload(5);
    });
    const reply = await c.run(req('AT+CIPSEND=0,5', 2000, Buffer.from('hello')));
    expect(reply.result).toBe('SEND OK');
    expect(m.payloads.map(String)).toEqual(['hello']);
    expect(urcs).toEqual([{ kind: 'connect', link: 1 }, { kind: 'ipd-notice', link: 2, length: 7 }]);
    expect(ipds).toEqual(['0:OK\r\n']);
  });

  it('accepts the NonOS prompt "> " and ends a send at SEND FAIL', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const { c } = client(m);
    m.on(/^AT\+CIPSEND/, (_l, mod) => {
      mod.expectPayload(2);
      return '\r\nOK\r\n> ';
    });
    const reply = await c.run(req('AT+CIPSEND=0,2', 2000, Buffer.from('xx')));
    expect(reply.result).toBe('SEND OK');
    m.on(/^AT\+CIPSEND/, '\r\nERROR\r\n');
    expect((await c.run(req('AT+CIPSEND=0,2', 2000, Buffer.from('yy')))).result).toBe('ERROR');
  });

  it('after a timed-out command, drains its late answer before the next command, which gets its own', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const clock = new ManualClock();
    const { c } = client(m, 10_000, clock);
    let slowRunning = false;
    m.on(/^AT\+SLOW$/, () => {
      slowRunning = true; // runs on after our deadline; meanwhile the module refuses every line
    });
    m.on(/^AT\+UART_CUR\?$/, () => (slowRunning ? '\r\nbusy p...\r\n' : '+UART_CUR:115200,8,1,0,0\r\n\r\nOK\r\n'));
    m.on(/^AT\+NEXT$/, '+NEXT:1\r\n\r\nOK\r\n');
    const slow = await onFakeTime(clock, c.run(req('AT+SLOW', 50)).catch((e: OSError) => e), 'AT+SLOW');
    expect(slow).toBeInstanceOf(OSError);
    expect((slow as OSError).errno).toBe(errno.ETIMEDOUT);
    const next = c.run(req('AT+NEXT'));
    await fakeUntil(clock, () => m.lines.filter((x) => x === 'AT+UART_CUR?').length >= 2, 'two drain probes');
    expect(m.commands('AT+NEXT')).toHaveLength(0); // held back while the late answer may come
    slowRunning = false;
    m.emit('+SLOW:late\r\n\r\nOK\r\n'); // AT+SLOW finishing late: thrown away, not NEXT's
    const reply = await onFakeTime(clock, next, 'AT+NEXT');
    expect(reply.infos).toEqual([{ name: 'NEXT', text: '1' }]);
    expect(m.commands('AT+NEXT')).toHaveLength(1);
  });

  it('after busy p... with no earlier command running, probes and re-sends only what the module threw away', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const { c } = client(m, 20);
    m.on(/^AT\+X$/, '\r\nbusy p...\r\n', 2);
    expect((await c.run(req('AT+X'))).result).toBe('OK');
    // Each busy: a quiet moment, the probe, its answer first → ours was discarded → sent again.
    expect(m.lines).toEqual(['AT+X', 'AT+UART_CUR?', 'AT+X', 'AT+UART_CUR?', 'AT+X']);
  });

  it('never sends a command twice on a stray busy line (peers.md E6: busy after an answer)', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const clock = new ManualClock();
    const { c } = client(m, 20, clock);
    // The module runs AT+X, but a busy line comes first and the answer is late; while it runs,
    // the module refuses the probe (busy again), then answers.
    m.on(/^AT\+X$/, (_line, mod) => {
      mod.emit('\r\nbusy p...\r\n');
      clock.setTimeout(() => mod.emit('+X:1\r\n\r\nOK\r\n'), 150);
    });
    m.on(/^AT\+UART_CUR\?$/, '\r\nbusy p...\r\n');
    const reply = await onFakeTime(clock, c.run(req('AT+X')), 'AT+X');
    expect(reply.result).toBe('OK');
    expect(reply.infos).toEqual([{ name: 'X', text: '1' }]);
    expect(m.commands('AT+X')).toHaveLength(1);
    // The next command gets its own answer, not a leftover.
    m.on(/^AT\+Y$/, '+Y:2\r\n\r\nOK\r\n');
    expect((await onFakeTime(clock, c.run(req('AT+Y')), 'AT+Y')).infos).toEqual([{ name: 'Y', text: '2' }]);
  });

  it('drops the late answer of a probe whose command answered first', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const clock = new ManualClock();
    const { c } = client(m, 20, clock);
    // Busy, then (after the probe went out) our answer, then the probe's answer.
    m.on(/^AT\+X$/, (_line, mod) => {
      mod.emit('\r\nbusy p...\r\n');
      clock.setTimeout(() => mod.emit('+X:1\r\n\r\nOK\r\n'), 60);
    });
    m.on(/^AT\+UART_CUR\?$/, (_line, mod) => void clock.setTimeout(() => mod.emit('+UART_CUR:115200,8,1,0,0\r\n\r\nOK\r\n'), 90));
    expect((await onFakeTime(clock, c.run(req('AT+X')), 'AT+X')).infos).toEqual([{ name: 'X', text: '1' }]);
    m.on(/^AT\+Y$/, (_line, mod) => void clock.setTimeout(() => mod.emit('+Y:2\r\n\r\nOK\r\n'), 100));
    const y = await onFakeTime(clock, c.run(req('AT+Y')), 'AT+Y');
    expect(y.infos).toEqual([{ name: 'Y', text: '2' }]);
    expect(m.commands('AT+X')).toHaveLength(1);
  });

  it('re-sends a CIPSEND line after busy only once the module has been silent (a probe would become payload)', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const clock = new ManualClock();
    const { c, trace } = client(m, 20, clock);
    m.on(/^AT\+CIPSEND=0,3$/, '\r\nbusy p...\r\n', 1);
    const reply = await onFakeTime(clock, c.run(req('AT+CIPSEND=0,3', 5000, Buffer.from('abc'))), 'the send');
    expect(reply.result).toBe('SEND OK');
    expect(m.sends()).toHaveLength(2);
    expect(m.commands('AT+UART_CUR')).toHaveLength(0);
    expect(m.payloads.map(String)).toEqual(['abc']);
    expect(trace.some((l) => /silent|nothing for/.test(l))).toBe(true);
  });

  it('treats a busy line already on its way before the command as stray', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const { c, trace } = client(m, 20);
    // OK and a stray busy in one chunk: the next command is written while that chunk is parsed.
    m.on(/^AT\+A$/, '\r\nOK\r\n\r\nbusy p...\r\n');
    const a = c.run(req('AT+A'));
    const b = c.run(req('AT+CIPSEND=0,2', 5000, Buffer.from('hi')));
    expect((await a).result).toBe('OK');
    expect((await b).result).toBe('SEND OK');
    expect(m.sends()).toHaveLength(1);
    expect(m.payloads.map(String)).toEqual(['hi']);
    expect(trace.some((l) => l.includes('stray busy'))).toBe(true);
  });

  it('takes an echo after ATE0 as a restart whose ready was lost', async () => {
    const m = new ScriptedModule();
    const { c, resets } = client(m);
    expect((await c.run(req('ATE0'))).result).toBe('OK');
    m.echo = true; // the module rebooted: echo is on again, and its `ready` never reached us
    const err = await c.run(req('AT+CIPRECVLEN?')).catch((e: OSError) => e);
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).errno).toBe(errno.ECONNABORTED);
    expect(resets.length).toBe(1);
  });

  it('fails every queued command on ready and tells its owner', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const { c, resets } = client(m);
    m.on(/^AT\+A$/, '\r\nready\r\n');
    const a = c.run(req('AT+A')).catch((e: OSError) => e);
    const b = c.run(req('AT+B')).catch((e: OSError) => e);
    for (const err of [await a, await b]) {
      expect(err).toBeInstanceOf(OSError);
      expect((err as OSError).errno).toBe(errno.ECONNABORTED);
      expect((err as OSError).message).toMatch(/restarted/);
    }
    expect(resets.length).toBe(1);
    expect((await c.run(req('AT'))).result).toBe('OK');
  });

  it('fails commands with EIO when the port goes away, and refuses new ones', async () => {
    const m = new ScriptedModule();
    const { c } = client(m);
    m.on(/^AT\+WAIT$/, () => undefined);
    const pending = c.run(req('AT+WAIT')).catch((e: OSError) => e);
    await m.waitFor((l) => l.includes('AT+WAIT'));
    m.unplug();
    expect(((await pending) as OSError).errno).toBe(errno.EIO);
    expect(((await c.run(req('AT')).catch((e: OSError) => e)) as OSError).errno).toBe(errno.EIO);
  });

  it('completes a timed-out send whose prompt comes late, so the next command is not eaten as payload', async () => {
    const m = new ScriptedModule();
    m.echo = false;
    const { c } = client(m);
    m.on(/^AT\+CIPSEND=0,3$/, () => undefined, 1);
    const late = await c.run(req('AT+CIPSEND=0,3', 50, Buffer.from('abc'))).catch((e: OSError) => e);
    expect((late as OSError).errno).toBe(errno.ETIMEDOUT);
    m.expectPayload(3);
    m.emit('\r\nOK\r\n\r\n>');
    await m.waitFor(() => m.payloads.length === 1);
    expect(m.payloads.map(String)).toEqual(['abc']);
    expect((await c.run(req('AT'))).result).toBe('OK');
  });
});
