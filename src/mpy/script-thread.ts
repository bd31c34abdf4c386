/**
 * The host's side of the MicroPython worker: starts it, serves its requests one at a time (the
 * script is single-threaded and blocked while it waits), and wakes it with Atomics.notify once a
 * reply is posted. A Ctrl-C wakes it too: the request it waited on is abandoned (its result is
 * given back by the op's undo, never posted) and the script raises KeyboardInterrupt.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { OSError } from '../errors.js';
import type { OpResult } from './ops/types.js';
import { CONTROL, CONTROL_BYTES } from './protocol.js';
import type { Failure, HostReply, HostRequest, WorkerEvent, WorkerMessage, WorkerSetup } from './protocol.js';

export interface ScriptHandlers {
  request(request: HostRequest): Promise<OpResult>;
  event(event: WorkerEvent): void;
  /** The worker itself failed (not the script: its exceptions are caught inside). */
  failed(error: Error): void;
}

/** How a thrown error reaches the script. */
export function failureOf(err: unknown): Failure {
  if (err instanceof OSError) return err.detail === undefined ? { errno: err.errno } : { errno: err.errno, detail: err.detail };
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof TypeError) return { exception: 'TypeError', detail };
  if (err instanceof RangeError) return { exception: 'ValueError', detail };
  return { exception: 'RuntimeError', detail };
}

export class ScriptThread {
  private readonly words = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  private readonly channel = new MessageChannel();
  private readonly worker: Worker;
  /** The request being served, if any. */
  private current: { readonly id: number; abandoned: boolean } | null = null;
  /** The worker reported the script's exit status. */
  private exited = false;

  constructor(
    setup: Omit<WorkerSetup, 'control' | 'port'>,
    private readonly handlers: ScriptHandlers,
  ) {
    const workerData: WorkerSetup = { ...setup, control: this.words.buffer as SharedArrayBuffer, port: this.channel.port2 };
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { workerData, transferList: [this.channel.port2] });
    this.worker.on('error', (err) => handlers.failed(err));
    this.worker.on('exit', (code) => {
      // Its last messages (the exit status among them) may not have been dispatched yet.
      for (let left = receiveMessageOnPort(this.channel.port1); left; left = receiveMessageOnPort(this.channel.port1)) {
        this.dispatch(left.message as WorkerMessage);
      }
      if (!this.exited) handlers.failed(new Error(`the MicroPython thread ended (${code})`));
    });
    this.channel.port1.on('message', (message: WorkerMessage) => this.dispatch(message));
  }

  private dispatch(message: WorkerMessage): void {
    if (message.kind === 'request') void this.serve(message);
    else {
      if (message.kind === 'exit') this.exited = true;
      this.handlers.event(message);
    }
  }

  /**
   * Raises KeyboardInterrupt in the script at its next call (at once if it is waiting). False
   * when an earlier Ctrl-C has still not been delivered: the script is computing without calls.
   */
  interrupt(): boolean {
    const undelivered = Atomics.load(this.words, CONTROL.interrupt) !== 0;
    if (this.current) this.current.abandoned = true;
    Atomics.store(this.words, CONTROL.interrupt, 1);
    this.wake();
    return !undelivered;
  }

  /** Keyboard bytes for the REPL; null when the input has ended. */
  sendKeys(keys: Uint8Array | null): void {
    this.worker.postMessage(keys);
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.channel.port1.close();
    await this.worker.terminate();
  }

  private async serve(request: HostRequest): Promise<void> {
    const call = { id: request.id, abandoned: false };
    this.current = call;
    let reply: HostReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const result = await this.handlers.request(request);
      if (call.abandoned) {
        result.undo?.();
        return;
      }
      // A copy the worker owns: the driver's bytes may be views of larger buffers.
      const data = result.data && new Uint8Array(result.data);
      if (data) transfer = [data.buffer];
      reply = { id: call.id, ok: true, value: result.value, ...(data ? { data } : {}) };
    } catch (err) {
      if (call.abandoned) return;
      reply = { id: call.id, ok: false, failure: failureOf(err) };
    } finally {
      if (this.current === call) this.current = null;
    }
    this.channel.port1.postMessage(reply, transfer);
    this.wake();
  }

  private wake(): void {
    Atomics.add(this.words, CONTROL.wake, 1);
    Atomics.notify(this.words, CONTROL.wake);
  }
}
