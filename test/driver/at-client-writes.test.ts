/**
 * A write that fails fails the command that wrote it (EIO, with the port's error as `cause`) —
 * the command's line, its probe, or the drain's probe on behalf of the commands waiting — and the
 * client's named states allow only the moves client-states.ts lists.
 */
import { describe, expect, it } from 'vitest';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import { AtClient } from '../../src/at/at-client.js';
import { jobMoveAllowed, lineOut, moveMode } from '../../src/at/client-states.js';
import { OSError, errno } from '../../src/errors.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { ScriptedModule } from './scripted-module.js';

/** A scripted module whose writes fail once `broken` is set (a port that went away mid-command). */
class BreakingModule extends ScriptedModule {
  broken: Error | null = null;
  override async write(bytes: Uint8Array): Promise<void> {
    if (this.broken) throw this.broken;
    return super.write(bytes);
  }
}

function clientOn(module: ScriptedModule, clock: ManualClock): AtClient {
  const handlers = { onUrc: () => undefined, onIpd: () => undefined, onReset: () => undefined, onPortClosed: () => undefined };
  return new AtClient(module, new HostResponseParser(DEFAULT_PROFILE), handlers, { busyRetryMs: 100, clock });
}

const req = (line: string, timeoutMs = 5000) => ({ line: Buffer.from(`${line}\r\n`), timeoutMs });

async function failureOf(promise: Promise<unknown>): Promise<OSError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OSError);
  return err as OSError;
}

describe('AtClient writes', () => {
  it("fails the command whose line could not be written, keeping the port's error as cause", async () => {
    const m = new BreakingModule();
    m.echo = false;
    const c = clientOn(m, new ManualClock());
    const gone = new Error('device unplugged');
    m.broken = gone;
    const err = await failureOf(c.run(req('AT+CWMODE?')));
    expect(err.errno).toBe(errno.EIO);
    expect(err.cause).toBe(gone);
    // The client goes on: the next command is written once the port works again.
    m.broken = null;
    expect((await c.run(req('AT'))).result).toBe('OK');
  });

  it('fails the command whose probe could not be written', async () => {
    const clock = new ManualClock();
    const m = new BreakingModule();
    m.echo = false;
    m.on(/^AT\+X$/, (_line, mod) => void mod.emit('\r\nbusy p...\r\n'));
    const c = clientOn(m, clock);
    const run = failureOf(c.run(req('AT+X')));
    await clock.advance(50);
    const gone = new Error('write EIO');
    m.broken = gone;
    await clock.advance(50); // the probe is due now
    const err = await run;
    expect(err.errno).toBe(errno.EIO);
    expect(err.cause).toBe(gone);
    expect(m.lines).toEqual(['AT+X']);
  });

  it("fails the commands waiting on a drain whose probe could not be written", async () => {
    const clock = new ManualClock();
    const m = new BreakingModule();
    m.echo = false;
    m.on(/^AT\+SLOW$/, () => undefined);
    const c = clientOn(m, clock);
    const slow = failureOf(c.run(req('AT+SLOW', 100)));
    const gone = new Error('port closed under us');
    const next = failureOf(c.run(req('AT+NEXT')));
    await clock.advance(99);
    m.broken = gone;
    await clock.advance(1);
    expect((await slow).errno).toBe(errno.ETIMEDOUT);
    const err = await next;
    expect(err.errno).toBe(errno.EIO);
    expect(err.cause).toBe(gone);
    expect(m.commands('AT+NEXT')).toHaveLength(0);
  });
});

describe('AtClient states', () => {
  it('allows only the listed moves', () => {
    expect(jobMoveAllowed('queued', 'sent')).toBe(true);
    expect(jobMoveAllowed('queued', 'payload')).toBe(false);
    expect(jobMoveAllowed('payload', 'sent')).toBe(false);
    expect(jobMoveAllowed('settled', 'sent')).toBe(false);
    expect(lineOut('probe-sent')).toBe(true);
    expect(lineOut('payload')).toBe(false);
    const closed = moveMode({ kind: 'ready' }, { kind: 'closed', reason: new Error('x') });
    expect(() => moveMode(closed, { kind: 'ready' })).toThrow(/no move from closed to ready/);
    expect(() => moveMode({ kind: 'raw', sink: () => undefined }, { kind: 'draining' })).toThrow();
  });
});
