import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../../emulator/world-config.js';
import { onFakeTime } from '../helpers/fake-time.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { FAST_WORLD, joinAndPrepare, startEchoServer, startPtyModule, type EchoServer, type PtyModule } from './fixtures.js';

/** Sessions through a real PTY, opened with serialport as any host program would. */
describe('virtual module on a PTY: basics', () => {
  let mod: PtyModule | undefined;
  let echo: EchoServer | undefined;
  afterEach(async () => {
    await mod?.close();
    await echo?.close();
    mod = undefined;
    echo = undefined;
  });

  it('echoes commands after boot, exactly as ESP-AT does, until ATE0', async () => {
    mod = await startPtyModule();
    await mod.host.write('AT\r\n');
    expect((await mod.host.rawUntil('OK\r\n', 2000)).toString('latin1')).toBe('AT\r\r\n\r\nOK\r\n');
    await mod.host.write('ATE0\r\n');
    expect((await mod.host.rawUntil('OK\r\n', 2000)).toString('latin1')).toBe('ATE0\r\r\n\r\nOK\r\n');
    await mod.host.write('AT\r\n');
    expect((await mod.host.rawUntil('OK\r\n', 2000)).toString('latin1')).toBe('\r\nOK\r\n');
  });

  it('answers an unknown command and a lower-case prefix with ERROR, and keeps going', async () => {
    mod = await startPtyModule();
    await mod.host.ok('ATE0');
    expect((await mod.host.command('AT+NOSUCHTHING')).final).toBe('ERROR');
    expect((await mod.host.command('at')).final).toBe('ERROR');
    expect((await mod.host.command('AT+CWMODE=9')).final).toBe('ERROR');
    await mod.host.ok('AT');
  });

  it('replays the reference session of esp-at.md §8 byte for byte (echo off, multi link)', async () => {
    echo = await startEchoServer();
    mod = await startPtyModule();
    const h = mod.host;
    await h.ok('ATE0');
    const exchange = async (send: string, until: string): Promise<string> => {
      await h.write(send);
      return (await h.rawUntil(until, 3000)).toString('latin1');
    };
    expect(await exchange('AT\r\n', 'OK\r\n')).toBe('\r\nOK\r\n');
    expect(await exchange('AT+CWMODE=1\r\n', 'OK\r\n')).toBe('\r\nOK\r\n');
    expect(await exchange('AT+CWJAP="copro-lab","labpass123"\r\n', 'OK\r\n')).toBe(
      'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n',
    );
    expect(await exchange('AT+CIPMUX=1\r\n', 'OK\r\n')).toBe('\r\nOK\r\n');
    expect(await exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${echo.port}\r\n`, 'OK\r\n')).toBe('0,CONNECT\r\n\r\nOK\r\n');
    expect(await exchange('AT+CIPSEND=0,5\r\n', '>')).toBe('\r\nOK\r\n\r\n>');
    // The echo server answers "hello" at once; its +IPD may come before or after SEND OK.
    await h.write('hello');
    const after = (await h.rawUntil('hello', 3000)).toString('latin1');
    const rest = after.includes('SEND OK') ? after : after + (await h.rawUntil('SEND OK\r\n', 3000)).toString('latin1');
    expect(rest).toContain('\r\nRecv 5 bytes\r\n');
    expect(rest).toContain('\r\nSEND OK\r\n');
    expect(rest).toContain('\r\n+IPD,0,5:hello');
    echo.sockets[0].end();
    expect(await exchange('', '0,CLOSED\r\n')).toMatch(/^(\r\nSEND OK\r\n)?0,CLOSED\r\n$/);
    expect(await exchange('AT+CIPCLOSE=0\r\n', 'ERROR\r\n')).toBe('\r\nERROR\r\n');
  });

  it('resolves names through the radio world hosts table', async () => {
    mod = await startPtyModule();
    await joinAndPrepare(mod.host, 0);
    const events = await mod.host.ok('AT+CIPDOMAIN="copro.local"');
    expect(events).toContainEqual({ type: 'info', name: 'CIPDOMAIN', text: '"127.0.0.1"' });
    expect((await mod.host.command('AT+CIPDOMAIN="no-such-host.invalid"')).final).toBe('ERROR');
  });

  it('fails a join with a wrong password with +CWJAP:2 and ERROR, then joins with the right one', async () => {
    mod = await startPtyModule();
    await mod.host.ok('ATE0');
    await mod.host.ok('AT+CWMODE=1');
    const bad = await mod.host.command('AT+CWJAP="copro-lab","wrongpass99"', 5000);
    expect(bad.final).toBe('ERROR');
    expect(bad.events).toContainEqual({ type: 'info', name: 'CWJAP', text: '2' });
    const unknown = await mod.host.command('AT+CWJAP="nobody-here","labpass123"', 5000);
    expect(unknown.final).toBe('ERROR');
    expect(unknown.events).toContainEqual({ type: 'info', name: 'CWJAP', text: '3' });
    // No IP yet: socket commands fail as real firmware does.
    expect((await mod.host.command('AT+CIPSTART="TCP","127.0.0.1",9')).final).toBe('ERROR');
    await mod.host.ok('AT+CWJAP="copro-lab","labpass123"', 5000);
    const ip = await mod.host.ok('AT+CIPSTA?');
    expect(ip).toContainEqual({ type: 'info', name: 'CIPSTA', text: `ip:"${FAST_WORLD.accessPoints[0].ip}"` });
  });

  it('answers busy p... to a command sent while a join is still running', async () => {
    // On fake time at the real radio's pace: the join runs until the clock is moved past it.
    const clock = new ManualClock();
    mod = await startPtyModule('esp32-at-2.x', DEFAULT_WORLD, clock);
    await mod.host.ok('ATE0');
    await mod.host.write('AT+CWJAP="copro-lab","labpass123"\r\n');
    await mod.host.write('AT\r\n');
    expect((await mod.host.rawUntil('busy p...\r\n', 2000)).toString('latin1')).toContain('\r\nbusy p...\r\n');
    const tail = (await onFakeTime(clock, mod.host.rawUntil('OK\r\n', 5000), 'the join')).toString('latin1');
    expect(tail).toContain('WIFI GOT IP\r\n');
  });

  it('drops links on AT+RST, says ready, and comes back with echo on', async () => {
    echo = await startEchoServer();
    mod = await startPtyModule();
    await joinAndPrepare(mod.host, 1);
    await mod.host.ok(`AT+CIPSTART=0,"TCP","127.0.0.1",${echo.port}`);
    await mod.host.write('AT+RST\r\n');
    const boot = (await mod.host.rawUntil('ready\r\n', 5000)).toString('latin1');
    expect(boot.startsWith('\r\nOK\r\n')).toBe(true);
    expect(boot.endsWith('\r\nready\r\n')).toBe(true);
    // The peer sees the connection go away.
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('peer never saw the link close')), 3000);
      const s = echo!.sockets[0];
      if (s.destroyed || s.readableEnded) return (clearTimeout(t), resolve());
      s.once('close', () => (clearTimeout(t), resolve()));
    });
    // The join was stored in flash (SYSSTORE=1) and auto-connect is on: the module rejoins by itself.
    const rejoin = (await mod.host.rawUntil('WIFI GOT IP\r\n', 3000)).toString('latin1');
    expect(rejoin).toContain('WIFI CONNECTED\r\n');
    await mod.host.write('AT\r\n');
    expect((await mod.host.rawUntil('OK\r\n', 2000)).toString('latin1')).toBe('AT\r\r\n\r\nOK\r\n');
    await mod.host.ok('ATE0');
    const status = await mod.host.ok('AT+CIPMUX?');
    expect(status).toContainEqual({ type: 'info', name: 'CIPMUX', text: '0' });
  });
});
