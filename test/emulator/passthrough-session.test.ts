import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PassthroughSession } from '../../emulator/at/passthrough-session.js';

/** The +++ rule and packing, on a fake clock: every timing edge exactly. */
describe('PassthroughSession', () => {
  let now = 0;
  let sent: string[] = [];
  let exits = 0;
  const session = (packetSize = 8): PassthroughSession =>
    new PassthroughSession({
      packetSize,
      now: () => now,
      send: async (data) => {
        sent.push(Buffer.from(data).toString('latin1'));
      },
      onExit: () => exits++,
    });
  const at = async (ms: number): Promise<void> => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  const input = (s: PassthroughSession, text: string): void => s.input(Buffer.from(text, 'latin1'));

  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
    sent = [];
    exits = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('exits on +++ with silence before and after; the data before is sent first', async () => {
    const s = session();
    input(s, 'abc');
    await at(25);
    expect(sent).toEqual(['abc']);
    input(s, '+++');
    await at(19);
    expect(exits).toBe(0);
    await at(2);
    expect(exits).toBe(1);
    expect(s.isActive).toBe(false);
    expect(sent).toEqual(['abc']);
  });

  it('accepts the three + spread over 20 ms each', async () => {
    const s = session();
    await at(30);
    input(s, '+');
    await at(15);
    input(s, '+');
    await at(15);
    input(s, '+');
    await at(25);
    expect(exits).toBe(1);
  });

  it('treats +++ as data without silence before, with a late +, or with a byte after', async () => {
    const s = session(100);
    input(s, 'x+++');
    await at(30);
    input(s, '+');
    await at(25);
    input(s, '+');
    await at(30);
    input(s, '+++');
    await at(10);
    input(s, 'y');
    await at(30);
    expect(exits).toBe(0);
    expect(sent.join('')).toBe('x+++' + '+' + '+' + '+++y');
  });

  it('sends full packets at once and the rest after 20 ms idle', async () => {
    const s = session(4);
    input(s, 'abcdefghij');
    expect(sent).toEqual([]);
    await at(0);
    expect(sent).toEqual(['abcd', 'efgh']);
    await at(19);
    expect(sent).toEqual(['abcd', 'efgh']);
    await at(2);
    expect(sent).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('drops pending bytes when stopped', async () => {
    const s = session();
    input(s, 'abc');
    s.stop();
    await at(50);
    expect(sent).toEqual([]);
    expect(exits).toBe(0);
  });
});
