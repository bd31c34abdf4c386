/**
 * The driver's injectable clock (src/clock.ts, `open(device, { clock })`): every protocol timer
 * runs on it, so a test of logic moves time by hand and no real second passes.
 */
import { describe, expect, it } from 'vitest';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import { AtBackend } from '../../src/at/at-backend.js';
import { AtClient } from '../../src/at/at-client.js';
import type { AtReply } from '../../src/at/at-client.js';
import { SEND_QUIET_MS } from '../../src/at/busy-probe.js';
import { escapeTransparent } from '../../src/at/transparent.js';
import { OSError, errno } from '../../src/errors.js';
import type { HostPort } from '../../src/host-port/types.js';
import { NinaClient } from '../../src/nina/nina-client.js';
import { open } from '../../src/open.js';
import { createUsocket } from '../../src/usocket/module.js';
import { FakeBackend } from './fake-backend.js';
import { FAST_WORLD } from './emulator-harness.js';
import { ScriptedModule } from './scripted-module.js';
import { ManualClock } from '../helpers/manual-clock.js';

function clientOn(module: ScriptedModule, clock: ManualClock, busyRetryMs = 100): AtClient {
  const handlers = { onUrc: () => undefined, onIpd: () => undefined, onReset: () => undefined, onPortClosed: () => undefined };
  return new AtClient(module, new HostResponseParser(DEFAULT_PROFILE), handlers, { busyRetryMs, clock });
}

const req = (line: string, timeoutMs: number, payload?: Uint8Array) => ({ line: Buffer.from(`${line}\r\n`), timeoutMs, payload });

/** Whether a promise has settled, without waiting for it. */
function settledFlag<T>(promise: Promise<T>): { readonly done: boolean } {
  const state = { done: false };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

describe('the driver on an injected clock', () => {
  it('times a command out after its deadline on the clock, not before', async () => {
    const clock = new ManualClock();
    const m = new ScriptedModule();
    m.echo = false;
    m.on(/^AT\+MUTE$/, () => undefined);
    m.on(/^AT\+UART_CUR\?$/, '+UART_CUR:115200,8,1,0,0\r\n\r\nOK\r\n');
    const c = clientOn(m, clock);
    const run = c.run(req('AT+MUTE', 1000)).catch((e: unknown) => e);
    const state = settledFlag(run);
    await clock.advance(999);
    expect(state.done).toBe(false);
    await clock.advance(1);
    const err = await run;
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).errno).toBe(errno.ETIMEDOUT);
    // The drain's probe went out at once: the late answer is thrown away before the next command.
    expect(m.lines).toEqual(['AT+MUTE', 'AT+UART_CUR?']);
  });

  it('probes after an unclear busy line once busyRetryMs has passed on the clock', async () => {
    const clock = new ManualClock();
    const m = new ScriptedModule();
    m.echo = false;
    m.on(/^AT\+X$/, '\r\nbusy p...\r\n', 1);
    const c = clientOn(m, clock, 100);
    const run = c.run(req('AT+X', 5000));
    await clock.advance(99);
    expect(m.lines).toEqual(['AT+X']);
    await clock.advance(1);
    // The probe's answer came first: ours was discarded, and is sent again.
    const reply: AtReply = await run;
    expect(reply.result).toBe('OK');
    expect(m.lines).toEqual(['AT+X', 'AT+UART_CUR?', 'AT+X']);
  });

  it('re-sends a refused CIPSEND line only after SEND_QUIET_MS of silence on the clock', async () => {
    const clock = new ManualClock();
    const m = new ScriptedModule();
    m.echo = false;
    m.on(/^AT\+CIPSEND=0,3$/, '\r\nbusy p...\r\n', 1);
    const c = clientOn(m, clock);
    const run = c.run(req('AT+CIPSEND=0,3', 5000, Buffer.from('abc')));
    await clock.advance(SEND_QUIET_MS - 1);
    expect(m.sends()).toHaveLength(1);
    await clock.advance(1);
    expect((await run).result).toBe('SEND OK');
    expect(m.sends()).toHaveLength(2);
    expect(m.commands('AT+UART_CUR')).toHaveLength(0);
    expect(m.payloads.map(String)).toEqual(['abc']);
  });

  it('polls AT+CIPRECVLEN? every pollIntervalMs of the clock while a reader waits', async () => {
    const clock = new ManualClock();
    const m = new ScriptedModule();
    const backend = await AtBackend.open(m, { clock, pollIntervalMs: 500 });
    try {
      const link = await backend.open({ kind: 'tcp', remote: { ip: '10.0.0.1', port: 80 } });
      const before = m.commands('AT+CIPRECVLEN').length;
      const off = link.onChange(() => undefined);
      await clock.advance(499);
      expect(m.commands('AT+CIPRECVLEN')).toHaveLength(before);
      await clock.advance(1);
      expect(m.commands('AT+CIPRECVLEN')).toHaveLength(before + 1);
      await clock.advance(500);
      expect(m.commands('AT+CIPRECVLEN')).toHaveLength(before + 2);
      off();
      await clock.advance(5000);
      expect(m.commands('AT+CIPRECVLEN')).toHaveLength(before + 2);
    } finally {
      await backend.close();
    }
  });

  it('times a NINA reply out on the clock', async () => {
    const clock = new ManualClock();
    const silent: HostPort = {
      path: 'silent:',
      write: async () => undefined,
      onData: () => undefined,
      onClose: () => undefined,
      close: async () => undefined,
    };
    const client = new NinaClient(silent, undefined, () => undefined, clock);
    const call = client.call('GET_FW_VERSION', [], 2000).catch((e: unknown) => e);
    const state = settledFlag(call);
    await clock.advance(1999);
    expect(state.done).toBe(false);
    await clock.advance(1);
    expect(((await call) as OSError).errno).toBe(errno.ETIMEDOUT);
  });

  it('keeps the +++ guard silence on the clock', async () => {
    const clock = new ManualClock();
    const written: { at: number; text: string }[] = [];
    const port: HostPort = {
      path: 'clock-test:',
      write: async (bytes) => void written.push({ at: clock.now(), text: Buffer.from(bytes).toString('latin1') }),
      onData: () => undefined,
      onClose: () => undefined,
      close: async () => undefined,
    };
    const escaping = escapeTransparent(port, (bytes) => port.write(bytes), { guardMs: 50, settleMs: 1000 }, clock);
    const state = settledFlag(escaping);
    await clock.advance(49);
    expect(written).toEqual([]);
    await clock.advance(1);
    expect(written).toEqual([{ at: 50, text: '+++' }]);
    expect(state.done).toBe(false); // the silence after it
    await clock.advance(50);
    await escaping;
    expect(state.done).toBe(true);
  });

  it("times a socket's timeout on its back end's clock", async () => {
    const clock = new ManualClock();
    const backend = Object.assign(new FakeBackend(), { clock });
    const usocket = createUsocket(backend);
    const sock = usocket.socket();
    await sock.connect(['10.0.0.1', 80]);
    sock.settimeout(2);
    const recv = sock.recv(10).catch((e: unknown) => e);
    const state = settledFlag(recv);
    await clock.advance(1999);
    expect(state.done).toBe(false);
    await clock.advance(1);
    const err = await recv;
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).errno).toBe(errno.ETIMEDOUT);
  });

  it('open(device, { clock }) runs the back end and its sockets on that clock', async () => {
    const clock = new ManualClock();
    // The emulated module keeps real time; only the driver's timers are on the manual clock.
    const coprocessor = await open('emu:', { clock, emulator: { world: FAST_WORLD } });
    try {
      expect(coprocessor.backend.clock).toBe(clock);
      await coprocessor.wlan.connect('copro-lab', 'labpass123');
      const server = coprocessor.usocket.socket();
      server.bind(['0.0.0.0', 8080]);
      await server.listen(1);
      server.settimeout(1);
      const accepting = server.accept().catch((e: unknown) => e);
      const state = settledFlag(accepting);
      await clock.advance(999);
      expect(state.done).toBe(false);
      await clock.advance(1);
      const err = await accepting;
      expect(err).toBeInstanceOf(OSError);
      expect((err as OSError).errno).toBe(errno.ETIMEDOUT);
      await server.close();
    } finally {
      await coprocessor.close();
    }
  });
});
