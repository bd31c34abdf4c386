/**
 * The driver's serial port (src/host-port/serial-port.ts) over a real PTY: a write and a read that
 * both wait on the fd must both be woken. serialport's poller restarts its uv_poll with only the
 * newest event (runtime/serialport-poller.ts). Without the fix a write waiting for room stops
 * the host hearing the module, and a read waiting for data strands that write: it waits until the
 * module sends another byte, and a module taking an AT+CIPSENDL payload sends none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyTransport, type PtyTransport } from '../../emulator/transport/pty-transport.js';
import { openSerialHostPort } from '../../src/host-port/serial-port.js';
import type { HostPort } from '../../src/host-port/types.js';
import { eventually, withTimeout } from '../helpers/deadline.js';

const PAYLOAD_BYTES = 512 * 1024;

let module: PtyTransport | null = null;
let host: HostPort | null = null;

afterEach(async () => {
  await host?.close();
  await module?.close();
  host = null;
  module = null;
});

describe('serial host port on a PTY', () => {
  it('finishes a write that waited for room while a read waited for data', async () => {
    module = await openPtyTransport();
    let taken = 0;
    module.setSink({ onData: (bytes) => (taken += bytes.length) });
    module.pauseInput(); // the module does not read: the host's write fills the kernel buffer
    host = await openSerialHostPort(module.slavePath);
    let heard = '';
    host.onData((chunk) => (heard += Buffer.from(chunk).toString('latin1')));

    let written = false;
    const writing = host.write(Buffer.alloc(PAYLOAD_BYTES, 0x55)).then(() => (written = true));
    // The write is now waiting for 'writable' (EAGAIN); nothing arrives while the module holds it.
    expect(await eventually(() => taken > 0, 200)).toBe(false);
    expect(written).toBe(false);

    // One byte from the module: the host hears it although its write waits (it read, reads again,
    // gets EAGAIN and waits for 'readable').
    module.write(Buffer.from('x'));
    expect(await eventually(() => heard === 'x', 2000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));

    // The module reads again and sends nothing more: the write must go on by itself.
    module.resumeInput();
    await withTimeout(writing, 5000, `the host's ${PAYLOAD_BYTES}-byte write`);
    expect(await eventually(() => taken === PAYLOAD_BYTES, 5000)).toBe(true);
  });
});
