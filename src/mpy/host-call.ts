/**
 * The worker's side of the hand-off: a synchronous call to the host thread. The request is
 * posted, then the worker sleeps in Atomics.wait on the control word the host bumps after it
 * posts the reply, and takes the reply with receiveMessageOnPort — no event loop turn, no busy
 * loop. A Ctrl-C (the host sets the interrupt slot and bumps the word) ends the wait at once.
 */
import { receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { CONTROL } from './protocol.js';
import type { HostReply, HostRequest, WorkerEvent } from './protocol.js';

/** The script was interrupted (Ctrl-C) while it waited: raise KeyboardInterrupt. */
export const INTERRUPTED = Symbol('interrupted');

export class HostCall {
  private readonly control: Int32Array;
  private nextId = 1;

  constructor(
    control: SharedArrayBuffer,
    private readonly port: MessagePort,
  ) {
    this.control = new Int32Array(control);
  }

  /** Sends a request and sleeps until its reply, or until a Ctrl-C. */
  call(op: string, args: readonly unknown[], data?: Uint8Array): HostReply | typeof INTERRUPTED {
    if (this.takeInterrupt()) return INTERRUPTED;
    const id = this.nextId++;
    const request: HostRequest = { kind: 'request', id, op, args, ...(data ? { data } : {}) };
    // Read the word before posting: a reply that lands before the wait then makes it return at once.
    let seen = Atomics.load(this.control, CONTROL.wake);
    this.port.postMessage(request, data ? [data.buffer as ArrayBuffer] : []);
    for (;;) {
      const reply = this.takeReply(id);
      if (reply) return reply;
      if (this.takeInterrupt()) return INTERRUPTED;
      Atomics.wait(this.control, CONTROL.wake, seen);
      seen = Atomics.load(this.control, CONTROL.wake);
    }
  }

  /** Sleeps `ms` milliseconds unless a Ctrl-C comes first; false when interrupted. */
  sleep(ms: number): boolean {
    const until = Date.now() + ms;
    for (;;) {
      if (this.takeInterrupt()) return false;
      const left = until - Date.now();
      if (left <= 0) return true;
      Atomics.wait(this.control, CONTROL.wake, Atomics.load(this.control, CONTROL.wake), left);
    }
  }

  /** Consumes a pending Ctrl-C. */
  takeInterrupt(): boolean {
    return Atomics.exchange(this.control, CONTROL.interrupt, 0) !== 0;
  }

  notify(event: WorkerEvent): void {
    this.port.postMessage(event, event.kind === 'output' ? [event.data.buffer as ArrayBuffer] : []);
  }

  /** The reply to `id`; replies to requests abandoned by a Ctrl-C are never posted by the host. */
  private takeReply(id: number): HostReply | null {
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (!received) return null;
      const reply = received.message as HostReply;
      if (reply.id === id) return reply;
    }
  }
}
