import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import { createTransportPair, type HostLink } from '../../emulator/transport/pair-transport.js';
import { openUartLine, type UartLineTransport } from '../../emulator/transport/uart-line-transport.js';
import { garbleUartBytes } from '../../emulator/transport/uart-garble.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, FAST_WORLD, TestHost, sleep, waitUntil } from './harness.js';

/**
 * AT+UART_CUR / AT+UART_DEF on an emulated line (esp-at.md §2, §6; peers.md E10): the OK goes
 * out at the old rate, then the module's UART switches; a host left behind sees garbage until
 * it follows; a reset brings the module back to the stored default.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface UartBench {
  readonly emu: RunningEmulator;
  readonly line: UartLineTransport;
  readonly link: HostLink;
  readonly host: TestHost;
  /** What a host at its new rate does: tell the line, as termios / SET-BAUDRATE would. */
  setHostBaud(rate: number): Promise<void>;
}

async function startUartBench(options: { pace?: boolean; hostBaud?: number; lenientBaud?: boolean } = {}): Promise<UartBench> {
  const pair = createTransportPair();
  const line = await openUartLine(pair.module, { pace: options.pace, lenientBaud: options.lenientBaud });
  cleanup.add(() => line.close());
  const emu = await startEmulator({ transport: line, world: FAST_WORLD });
  cleanup.add(() => emu.close());
  const host = new TestHost(pair.host);
  const setHostBaud = async (rate: number): Promise<void> => {
    pair.host.control({ type: 'baud', rate });
    await waitUntil(() => line.lineState().hostRate === rate, `host rate ${rate}`);
  };
  await setHostBaud(options.hostBaud ?? 115200);
  await host.expect('\r\nready\r\n');
  await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  return { emu, line, link: pair.host, host, setHostBaud };
}

/** Consumes whatever the host has received so far and returns it. */
async function discard(host: TestHost): Promise<Buffer> {
  const got = Buffer.from(host.pending);
  if (got.length > 0) await host.expect(got);
  return got;
}

describe('AT+UART_CUR', () => {
  it('answers OK at the old rate, then a host still at the old rate gets garbage until it follows', async () => {
    const { line, host, setHostBaud } = await startUartBench();
    await host.exchange('AT+UART_CUR=921600,8,1,0,0\r\n', '\r\nOK\r\n');
    expect(line.lineState()).toMatchObject({ moduleRate: 921600, hostRate: 115200, mismatched: true });

    host.send('AT\r\n');
    await sleep(150);
    expect(host.pending.includes('OK')).toBe(false);

    await setHostBaud(921600);
    expect(line.lineState().mismatched).toBe(false);
    // What the module decoded is a broken line: end it, then a fresh command works.
    host.send('\r\n');
    await host.waitFor((pending) => pending.includes('ERROR\r\n'), 'the broken line refused');
    await discard(host);
    await host.exchange('AT\r\n', '\r\nOK\r\n');
    await host.exchange('AT+UART_CUR?\r\n', '+UART_CUR:922190,8,1,0,0\r\n\r\nOK\r\n');
  });

  it('garbles deterministically: the same bytes at the same rates give the same garbage', async () => {
    const runs: Buffer[] = [];
    for (let run = 0; run < 2; run++) {
      const { host } = await startUartBench();
      await host.exchange('ATE1\r\n', '\r\nOK\r\n');
      await host.exchange('AT+UART_CUR=38400,8,1,0,0\r\n', 'AT+UART_CUR=38400,8,1,0,0\r\r\n\r\nOK\r\n');
      // Host at 115200 → module at 38400 (decoded as garbage, echoed) → back to the host at 115200.
      host.send('AT+GMR\r\n');
      await sleep(100);
      runs.push(Buffer.from(host.pending));
      await cleanup.run();
    }
    const input = Buffer.from('AT+GMR\r\n');
    expect(runs[0]).toEqual(garbleUartBytes(garbleUartBytes(input, 115200, 38400), 38400, 115200));
    expect(runs[0].length).toBeGreaterThan(0);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0].includes('GMR')).toBe(false);
  });

  it('switches the paced rate right after its OK', async () => {
    const { host, setHostBaud } = await startUartBench({ pace: true });
    await host.exchange('AT+UART_CUR=19200,8,1,0,0\r\n', '\r\nOK\r\n', 5000);
    await setHostBaud(19200);
    const started = performance.now();
    host.send('AT+GMR\r\n');
    await host.waitFor((pending) => pending.includes('\r\nOK\r\n'), 'GMR answer', 5000);
    const elapsedMs = performance.now() - started;
    // Command in and answer out both cross a 19200-baud wire: never sooner than that allows.
    const wireBytes = 'AT+GMR\r\n'.length + host.pending.length;
    expect(elapsedMs).toBeGreaterThanOrEqual(wireBytes * (10_000 / 19200) * 0.98);
    expect(host.pending.toString('latin1')).toMatch(/^AT version:/);
  });
});

describe('resets and AT+UART_DEF', () => {
  it('a reset returns the module to 115200: a host that followed UART_CUR must come back', async () => {
    const { line, host, setHostBaud } = await startUartBench();
    await host.exchange('AT+UART_CUR=921600,8,1,0,0\r\n', '\r\nOK\r\n');
    await setHostBaud(921600);
    await host.exchange('AT\r\n', '\r\nOK\r\n');
    host.send('AT+RST\r\n');
    await host.expect('\r\nOK\r\n');
    await waitUntil(() => line.lineState().moduleRate === 115200, 'module back at 115200');
    // `ready` goes out at 115200 to a host listening at 921600: not recognisable.
    await sleep(100);
    expect(host.pending.includes('ready')).toBe(false);
    await setHostBaud(115200);
    await discard(host);
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n'); // echo is on again after the reset
  });

  it('the reset line does the same', async () => {
    const { line, link, host } = await startUartBench();
    await host.exchange('AT+UART_CUR=230400,8,1,0,0\r\n', '\r\nOK\r\n');
    link.control({ type: 'reset' });
    await host.waitFor((pending) => pending.includes('ready\r\n'), 'ready at 115200');
    expect(line.lineState()).toMatchObject({ moduleRate: 115200, mismatched: false });
  });

  it('AT+UART_DEF switches after OK, is stored, and is the rate a reset returns to', async () => {
    const { line, host, setHostBaud } = await startUartBench();
    await host.exchange('AT+UART_DEF=230400,8,1,0,0\r\n', '\r\nOK\r\n');
    expect(line.lineState().moduleRate).toBe(230400);
    await setHostBaud(230400);
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    expect(line.lineState().moduleRate).toBe(230400);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+UART_DEF?\r\n', '+UART_DEF:230400,8,1,0,0\r\n\r\nOK\r\n');
    await host.exchange('AT+UART_CUR?\r\n', '+UART_CUR:230423,8,1,0,0\r\n\r\nOK\r\n');
    // AT+RESTORE puts the factory 115200 back.
    await host.exchange('AT+RESTORE\r\n', '\r\nOK\r\n');
    await waitUntil(() => line.lineState().moduleRate === 115200, 'factory rate after RESTORE');
  });

  it('runs at 115200 from boot whatever rate the host opened the line at: a 9600 host gets garbage', async () => {
    const pair = createTransportPair();
    const line = await openUartLine(pair.module);
    cleanup.add(() => line.close());
    // On fake time the module cannot boot before the host has set its rate.
    const clock = new ManualClock();
    const emu = await startEmulator({ transport: line, world: FAST_WORLD, clock });
    cleanup.add(() => emu.close());
    const host = new TestHost(pair.host);
    pair.host.control({ type: 'baud', rate: 9600 });
    await waitUntil(() => line.lineState().hostRate === 9600, 'host rate 9600');
    expect(line.lineState()).toMatchObject({ moduleRate: 115200, hostRate: 9600, mismatched: true });
    await clock.advance(1000);
    await emu.ready;
    // `\r\nready\r\n` sampled at 9600: frames with bad stop bits are lost, the rest garbled.
    await sleep(50);
    expect(host.pending.length).toBeLessThan('\r\nready\r\n'.length);
    expect(host.pending.includes('ready')).toBe(false);
    host.send('AT\r\n');
    await clock.advance(100);
    await sleep(50);
    expect(host.pending.includes('OK')).toBe(false);
  });

  it('with lenientBaud, a module whose rate was never set follows the host, whatever rate it opens with', async () => {
    const { line, host, setHostBaud } = await startUartBench({ hostBaud: 9600, lenientBaud: true });
    expect(line.lineState()).toMatchObject({ moduleRate: null, lineRate: 9600, mismatched: false });
    await setHostBaud(57600);
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    expect(line.lineState()).toMatchObject({ moduleRate: null, lineRate: 57600 });
  });
});
