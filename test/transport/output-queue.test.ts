import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_MAX_QUEUED_BYTES, OutputQueue } from '../../emulator/transport/output-queue.js';

function drain(queue: OutputQueue, step: number): Buffer {
  const parts: Buffer[] = [];
  for (let chunk = queue.take(step); chunk; chunk = queue.take(step)) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('OutputQueue (the UART TX FIFO)', () => {
  it('defaults to a 64 KiB bound and gives bytes back in order, in pieces of any size', () => {
    const queue = new OutputQueue();
    expect(queue.maxBytes).toBe(DEFAULT_MAX_QUEUED_BYTES);
    expect(DEFAULT_MAX_QUEUED_BYTES).toBe(64 * 1024);
    queue.push(Buffer.from('hello '));
    queue.push(Buffer.from('world'));
    expect(queue.length).toBe(11);
    expect(queue.take(3)?.toString()).toBe('hel');
    expect(queue.take(5)?.toString()).toBe('lo wo');
    expect(queue.take(100)?.toString()).toBe('rld');
    expect(queue.take(1)).toBeNull();
    expect(queue.droppedBytes).toBe(0);
  });

  it('drops the oldest bytes beyond the bound and counts them', () => {
    const queue = new OutputQueue(10);
    queue.push(Buffer.from('0123456'));
    queue.push(Buffer.from('789abc'));
    expect(queue.length).toBe(10);
    expect(queue.droppedBytes).toBe(3);
    queue.push(Buffer.from('ABCDEFGHIJKLMNOP')); // larger than the bound on its own
    expect(drain(queue, 4).toString()).toBe('GHIJKLMNOP');
    expect(queue.droppedBytes).toBe(3 + 10 + 6);
  });

  it('copies what it is given (the caller may reuse its buffer)', () => {
    const queue = new OutputQueue(100);
    const buffer = Buffer.from('abc');
    queue.push(buffer);
    buffer.fill(0x7a);
    expect(queue.take(10)?.toString()).toBe('abc');
  });

  it('clear() drops everything queued and counts it', () => {
    const queue = new OutputQueue(100);
    queue.push(Buffer.from('stale'));
    expect(queue.clear()).toBe(5);
    expect(queue.length).toBe(0);
    expect(queue.droppedBytes).toBe(5);
    expect(queue.take(10)).toBeNull();
  });

  it('always holds exactly the newest min(bound, total) bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 30 })), { maxLength: 40 }),
        (bound, operations) => {
          const queue = new OutputQueue(bound);
          let model: number[] = [];
          let dropped = 0;
          for (const operation of operations) {
            if (typeof operation === 'number') {
              const got = queue.take(operation);
              const expected = model.slice(0, operation);
              model = model.slice(operation);
              expect(got ? [...got] : []).toEqual(expected);
            } else {
              model.push(...operation);
              if (model.length > bound) {
                dropped += model.length - bound;
                model = model.slice(model.length - bound);
              }
              queue.push(operation);
            }
            expect(queue.length).toBe(model.length);
            expect(queue.droppedBytes).toBe(dropped);
          }
          expect([...drain(queue, 7)]).toEqual(model);
        },
      ),
    );
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => new OutputQueue(0)).toThrow(RangeError);
    expect(() => new OutputQueue(1.5)).toThrow(RangeError);
  });
});
