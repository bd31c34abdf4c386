import { afterEach, describe, expect, it } from 'vitest';
import { openTcpTransport } from '../../emulator/transport/tcp-transport.js';
import type { TcpTransport } from '../../emulator/transport/tcp-transport.js';
import type { LineControlEvent } from '../../emulator/transport/types.js';
import { ByteCollector } from '../helpers/byte-collector.js';
import { openHostTcp } from '../helpers/host-tcp.js';
import type { HostTcp } from '../helpers/host-tcp.js';
import { eventually } from '../helpers/deadline.js';

// Telnet / RFC 2217 bytes, spelled out so the test does not lean on the code under test.
const IAC = 0xff, SB = 0xfa, SE = 0xf0, WILL = 0xfb, WONT = 0xfc, DO = 0xfd;
const ECHO = 0x01, SGA = 0x03, BINARY = 0x00, COM = 0x2c;
const iac = (...bytes: number[]): Buffer => Buffer.from([IAC, ...bytes]);
const sb = (...payload: number[]): Buffer => Buffer.from([IAC, SB, COM, ...payload, IAC, SE]);

/** What pyserial 3.5's rfc2217 client sends first (rfc2217.py: REQUESTED options). */
const PYSERIAL_NEGOTIATION = Buffer.concat([iac(DO, ECHO), iac(WILL, SGA), iac(DO, SGA), iac(WILL, COM), iac(DO, COM)]);

let transport: TcpTransport | null = null;
let host: HostTcp | null = null;
let moduleRx: ByteCollector;
let controls: LineControlEvent[];

async function attach(): Promise<{ t: TcpTransport; host: HostTcp }> {
  moduleRx = new ByteCollector();
  controls = [];
  transport = await openTcpTransport({ port: 0, protocol: 'rfc2217' });
  transport.setSink({ onData: (bytes) => moduleRx.push(bytes), onControl: (event) => controls.push(event) });
  host = await openHostTcp(transport.port);
  return { t: transport, host };
}

/** Sends `request` and expects exactly `reply` back (nothing before it). */
async function exchange(h: HostTcp, request: Buffer, reply: Buffer): Promise<void> {
  await h.write(request);
  const got = await h.readUntil((seen) => seen.length >= reply.length, 2000);
  expect([...got]).toEqual([...reply]);
}

const resets = (): number => controls.filter((event) => event.type === 'reset').length;

afterEach(async () => {
  await host?.close();
  host = null;
  await transport?.close();
  transport = null;
});

describe('TCP RFC 2217 transport', () => {
  it('answers Telnet negotiation: agrees to SGA, COM-PORT and BINARY, refuses ECHO', async () => {
    const { t, host: h } = await attach();
    expect(t.address).toBe(`rfc2217://127.0.0.1:${t.port}`);
    await exchange(
      h,
      PYSERIAL_NEGOTIATION,
      Buffer.concat([iac(WONT, ECHO), iac(DO, SGA), iac(WILL, SGA), iac(DO, COM), iac(WILL, COM)]),
    );
    await exchange(h, Buffer.concat([iac(WILL, BINARY), iac(DO, BINARY)]), Buffer.concat([iac(DO, BINARY), iac(WILL, BINARY)]));
    // Already agreed: no answer (no negotiation loops); an unknown option is refused.
    await exchange(h, Buffer.concat([iac(DO, COM), iac(WILL, SGA), iac(DO, 0x18)]), iac(WONT, 0x18));
    await exchange(h, iac(WILL, 0x1f), iac(0xfe, 0x1f));
  });

  it("acknowledges pyserial's whole open sequence with code + 100 and the values", async () => {
    const { t, host: h } = await attach();
    await exchange(h, PYSERIAL_NEGOTIATION, Buffer.concat([iac(WONT, ECHO), iac(DO, SGA), iac(WILL, SGA), iac(DO, COM), iac(WILL, COM)]));
    // SET-BAUDRATE 921600 as u32 BE, then DATASIZE 8, PARITY NONE(1), STOPSIZE 1 (sent together, as pyserial does).
    await exchange(
      h,
      Buffer.concat([sb(1, 0, 14, 16, 0), sb(2, 8), sb(3, 1), sb(4, 1)]),
      Buffer.concat([sb(101, 0, 14, 16, 0), sb(102, 8), sb(103, 1), sb(104, 1)]),
    );
    expect(controls.filter((event) => event.type === 'baud')).toEqual([{ type: 'baud', rate: 921600 }]);
    expect(await t.hostBaudRate()).toBe(921600);
    await exchange(h, sb(5, 1), sb(105, 1)); // no flow control
    await exchange(h, sb(5, 8), sb(105, 8)); // DTR on
    await exchange(h, sb(5, 11), sb(105, 11)); // RTS on
    await exchange(h, sb(12, 1), sb(112, 1)); // purge receive buffer
    await exchange(h, sb(12, 2), sb(112, 2)); // purge transmit buffer
    expect(resets()).toBe(0); // DTR+RTS both on holds EN high, as on a DevKitC
    expect(controls.map((event) => event.type)).toEqual(['host-attached', 'baud']);
  });

  it('answers queries with the current settings and acknowledges the other COM-PORT commands', async () => {
    const { host: h } = await attach();
    await exchange(h, sb(1, 0, 0, 0, 0), sb(101, 0, 1, 0xc2, 0x00)); // baud query before any set: 115200
    // 131071 = 00 01 FF FF: each FF doubled both ways.
    await exchange(h, sb(1, 0, 0x01, 0xff, 0xff, 0xff, 0xff), sb(101, 0, 0x01, 0xff, 0xff, 0xff, 0xff));
    await exchange(h, sb(1, 0, 0, 0, 0), sb(101, 0, 0x01, 0xff, 0xff, 0xff, 0xff));
    await exchange(h, sb(2, 7), sb(102, 7));
    await exchange(h, sb(2, 0), sb(102, 7));
    await exchange(h, sb(3, 0), sb(103, 1));
    await exchange(h, sb(4, 0), sb(104, 1));
    await exchange(h, sb(5, 0), sb(105, 1)); // flow control setting
    await exchange(h, sb(5, 7), sb(105, 9)); // DTR state: off
    await exchange(h, sb(5, 10), sb(105, 12)); // RTS state: off
    await exchange(h, sb(5, 4), sb(105, 6)); // BREAK state: off
    await exchange(h, sb(6), sb(106, 0)); // line state poll
    await exchange(h, sb(7), sb(107, 0)); // modem state poll
    await exchange(h, sb(10, 0x00), sb(110, 0x00));
    await exchange(h, sb(11, 0xff, 0xff), sb(111, 0xff, 0xff));
    await exchange(h, sb(0), sb(100, ...Buffer.from('copro virtual ESP-AT module')));
    await exchange(h, sb(42, 5, 6), sb(142, 5, 6)); // unknown: acknowledged in kind
    expect(controls.filter((event) => event.type === 'baud')).toEqual([{ type: 'baud', rate: 131071 }]);
  });

  it('maps DTR/RTS to EN like the auto-reset circuit: a reset when EN is released', async () => {
    const { host: h } = await attach();
    await exchange(h, Buffer.concat([sb(5, 8), sb(5, 11)]), Buffer.concat([sb(105, 8), sb(105, 11)]));
    await exchange(h, sb(5, 9), sb(105, 9)); // DTR off with RTS on: EN low (held in reset)
    expect(resets()).toBe(0);
    await exchange(h, sb(5, 12), sb(105, 12)); // RTS off: EN high -> reset
    expect(await eventually(() => resets() === 1, 1000)).toBe(true);
    // esptool's classic reset: DTR off, RTS on, DTR on, RTS off, DTR off -> one reset.
    await exchange(
      h,
      Buffer.concat([sb(5, 9), sb(5, 11), sb(5, 8), sb(5, 12), sb(5, 9)]),
      Buffer.concat([sb(105, 9), sb(105, 11), sb(105, 8), sb(105, 12), sb(105, 9)]),
    );
    expect(resets()).toBe(2);
    // esptool's hard reset (DTR already off): RTS on, RTS off -> one reset.
    await exchange(h, Buffer.concat([sb(5, 11), sb(5, 12)]), Buffer.concat([sb(105, 11), sb(105, 12)]));
    expect(resets()).toBe(3);
  });

  it('doubles 0xFF in data both ways and keeps data and commands in order', async () => {
    const { t, host: h } = await attach();
    await h.write(Buffer.from([0x78, IAC, IAC, 0x79, IAC, DO, SGA, 0x7a, IAC, IAC]));
    expect([...(await moduleRx.readUntil((got) => got.length >= 5, 2000))]).toEqual([0x78, 0xff, 0x79, 0x7a, 0xff]);
    expect([...(await h.readUntil((got) => got.length >= 3, 2000))]).toEqual([IAC, WILL, SGA]);
    t.write(Buffer.from([0x41, 0xff, 0x42, 0xff, 0xff]));
    expect([...(await h.readUntil((got) => got.length >= 8, 2000))]).toEqual([0x41, 0xff, 0xff, 0x42, 0xff, 0xff, 0xff, 0xff]);
  });

  it('reassembles commands and escapes split across TCP segments', async () => {
    const { host: h } = await attach();
    const stream = Buffer.concat([Buffer.from('A'), iac(IAC), sb(1, 0, 14, 16, 0), Buffer.from('B'), iac(DO, COM), sb(5, 0xff, 0xff), Buffer.from('C')]);
    for (const byte of stream) {
      await h.write(Uint8Array.of(byte));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect((await moduleRx.readUntil((got) => got.length >= 4, 2000)).toString('latin1')).toBe('A\xffBC');
    expect([...(await h.readUntil((got) => got.length >= 10 + 3 + 8, 2000))]).toEqual([
      ...sb(101, 0, 14, 16, 0),
      ...iac(WILL, COM),
      ...sb(105, 0xff, 0xff),
    ]);
    expect(controls.filter((event) => event.type === 'baud')).toEqual([{ type: 'baud', rate: 921600 }]);
  });

  it('PURGE-DATA drops queued output; FLOWCONTROL-SUSPEND holds output until RESUME', async () => {
    const { t, host: h } = await attach();
    await exchange(h, sb(8), sb(108)); // suspend
    t.write(Buffer.from('stale output'));
    expect(await eventually(() => t.pendingBytes() === 12, 1000)).toBe(true);
    await exchange(h, sb(12, 1), sb(112, 1)); // purge the access server's receive buffer
    expect(t.pendingBytes()).toBe(0);
    t.write(Buffer.from('fresh'));
    await exchange(h, sb(9), Buffer.concat([sb(109), Buffer.from('fresh')])); // resume: the ack, then the output
    expect(t.droppedBytes()).toBe(12);
  });

  it('reports host-detached and forgets the host baud when the client leaves', async () => {
    const { t, host: h } = await attach();
    await exchange(h, sb(1, 0, 14, 16, 0), sb(101, 0, 14, 16, 0));
    await h.close();
    host = null;
    expect(await eventually(() => controls.some((event) => event.type === 'host-detached'), 2000)).toBe(true);
    expect(await t.hostBaudRate()).toBeNull();
  });
});
