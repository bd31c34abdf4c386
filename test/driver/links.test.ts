/**
 * The link and server bookkeeping both back ends share (src/links/), and readiness as a pure read:
 * readable()/acceptable() never ask the module; refresh() is the explicit step that does.
 */
import { describe, expect, it } from 'vitest';
import { AtLink } from '../../src/at/at-link.js';
import type { LinkIo } from '../../src/at/at-link.js';
import { bestEffort } from '../../src/best-effort.js';
import { osError } from '../../src/errors.js';
import { AcceptQueue } from '../../src/links/accept-queue.js';
import { LinkInbox } from '../../src/links/link-inbox.js';
import { readableOrRefresh } from '../../src/links/readiness.js';

function io(): LinkIo & { asked: number; waiters: number } {
  const state = {
    asked: 0,
    waiters: 0,
    fetch: async () => undefined,
    transmit: async (_l: AtLink, data: Uint8Array) => data.length,
    release: async () => undefined,
    wantData: () => void (state.asked += 1),
    waiting: (delta: number) => void (state.waiters += delta),
    now: () => 0,
  };
  return state;
}

describe('links shared by the back ends', () => {
  it('AtLink.readable() is a pure read; refresh() asks the module', () => {
    const linkIo = io();
    const link = new AtLink(0, 'tcp', { ip: '10.0.0.1', port: 80 }, linkIo);
    for (let i = 0; i < 3; i++) expect(link.readable()).toBe(false);
    expect(linkIo.asked).toBe(0);
    link.refresh();
    expect(linkIo.asked).toBe(1);
    expect(readableOrRefresh(link)).toBe(false);
    expect(linkIo.asked).toBe(2);
    link.noticed(5);
    expect(readableOrRefresh(link)).toBe(true);
    expect(linkIo.asked).toBe(2);
  });

  it('counts waiters through onChange for the back end that polls', () => {
    const linkIo = io();
    const link = new AtLink(1, 'udp', null, linkIo);
    const off = link.onChange(() => undefined);
    expect(linkIo.waiters).toBe(1);
    off();
    off();
    expect(linkIo.waiters).toBe(0);
  });

  it('LinkInbox hands out stream prefixes and whole datagrams', () => {
    const stream = new LinkInbox(false);
    stream.push({ data: Buffer.from('hello'), from: null });
    expect(Buffer.from(stream.take(2).data).toString()).toBe('he');
    expect(stream.buffered).toBe(3);
    expect(Buffer.from(stream.take(10).data).toString()).toBe('llo');
    expect(stream.size).toBe(0);
    const datagrams = new LinkInbox(true);
    datagrams.push({ data: Buffer.from('abcdef'), from: { ip: '1.2.3.4', port: 9 } });
    expect(Buffer.from(datagrams.take(3).data).toString()).toBe('abc');
    expect(datagrams.size).toBe(0); // the unread rest of a datagram is gone
    expect(datagrams.buffered).toBe(0);
  });

  it('AcceptQueue queues clients, fails once, and hands back the unaccepted', () => {
    const queue = new AcceptQueue<AtLink>();
    let changes = 0;
    queue.listeners.add(() => void (changes += 1));
    expect(queue.acceptable()).toBe(false);
    expect(() => queue.accept()).toThrow(/without a waiting client/);
    const a = new AtLink(2, 'tcp', null, io());
    const b = new AtLink(3, 'tcp', null, io());
    queue.enqueue(a);
    queue.enqueue(b);
    expect(queue.accept()).toBe(a);
    expect(queue.takeUnaccepted()).toEqual([b]);
    const err = osError('ECONNABORTED', 'module restarted');
    queue.fail(err);
    queue.fail(osError('EIO'));
    expect(queue.failure).toBe(err);
    expect(() => queue.accept()).toThrow(err);
    expect(changes).toBe(4);
  });

  it('bestEffort traces a failed command instead of dropping it, and passes a result through', async () => {
    const trace: string[] = [];
    expect(await bestEffort(Promise.reject(osError('ETIMEDOUT', 'no answer')), (l) => trace.push(l), 'closing link 3')).toBeNull();
    expect(trace).toEqual(['! closing link 3 failed: [Errno 110] ETIMEDOUT: no answer']);
    expect(await bestEffort(Promise.resolve(7), (l) => trace.push(l), 'x')).toBe(7);
    expect(trace).toHaveLength(1);
  });
});
