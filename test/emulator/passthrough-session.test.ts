import { beforeEach, describe, expect, it } from 'vitest';
import { PassthroughSession } from '../../emulator/at/passthrough-session.js';
import { ManualClock } from '../helpers/manual-clock.js';

/** The +++ rule and packing, on a fake clock: every timing edge exactly. */
describe('PassthroughSession', () => {
  let clock = new ManualClock();
  let sent: string[] = [];
  let exits = 0;
  const session = (packetSize = 8): PassthroughSession =>
    new PassthroughSession({
      packetSize,
      clock,
      send: async (data) => {
        sent.push(Buffer.from(data).toString('latin1'));
      },
      onExit: () => exits++,
    });
  const at = (ms: number): Promise<void> => clock.advance(ms);
  const input = (s: PassthroughSession, text: string): void => s.input(Buffer.from(text, 'latin1'));

  beforeEach(() => {
    clock = new ManualClock();
    sent = [];
    exits = 0;
  });

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

  it('holds the host back above the high-water mark and lets it go below the low one, dropping nothing', async () => {
    const flow: string[] = [];
    const accept: (() => void)[] = [];
    const received: string[] = [];
    const s = new PassthroughSession({
      packetSize: 4,
      clock,
      highWaterBytes: 12,
      lowWaterBytes: 4,
      // A link whose peer takes one packet only when the test says so.
      send: (data) =>
        new Promise<void>((resolve) =>
          accept.push(() => {
            received.push(Buffer.from(data).toString('latin1'));
            resolve();
          }),
        ),
      onExit: () => exits++,
      pauseInput: () => flow.push('pause'),
      resumeInput: () => flow.push('resume'),
    });
    input(s, 'aaaabbbbcc');
    expect(flow).toEqual([]);
    input(s, 'ccdddd'); // 16 bytes unaccepted: over the mark, but every byte is kept
    expect(flow).toEqual(['pause']);
    expect(s.holdingInput).toBe(true);
    input(s, 'eeee'); // read before the pause took effect: still kept
    expect(s.backlogBytes).toBe(20);
    while (accept.length > 0 || s.backlogBytes > 0) {
      accept.shift()?.();
      await at(25);
    }
    expect(received.join('')).toBe('aaaabbbbccccddddeeee');
    expect(flow).toEqual(['pause', 'resume']);
    expect(s.droppedBytes).toBe(0);
  });

  it('lets the host go when stopped while holding it back', async () => {
    const flow: string[] = [];
    const s = new PassthroughSession({
      packetSize: 4,
      clock,
      highWaterBytes: 4,
      send: () => new Promise<void>(() => undefined), // a peer that never reads
      onExit: () => exits++,
      pauseInput: () => flow.push('pause'),
      resumeInput: () => flow.push('resume'),
    });
    input(s, 'abcdefgh');
    s.stop();
    expect(flow).toEqual(['pause', 'resume']);
  });

  it('without a way to hold the host back, drops beyond the hard bound', () => {
    const s = new PassthroughSession({
      packetSize: 4,
      clock,
      maxBufferedBytes: 6,
      send: () => new Promise<void>(() => undefined),
      onExit: () => exits++,
    });
    input(s, 'abcdefghij');
    expect(s.backlogBytes).toBe(6);
    expect(s.droppedBytes).toBe(4);
    s.stop();
  });
});
