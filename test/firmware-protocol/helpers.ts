import {
  DEFAULT_PROFILE,
  HostResponseParser,
  ModuleInputParser,
  type FirmwareProfile,
  type HostEvent,
  type ModuleInputEvent,
} from '../../firmware-protocol/index.js';

/** Test text as bytes, one byte per character. */
export function bytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

export function text(data: Uint8Array): string {
  return Buffer.from(data).toString('latin1');
}

/** Splits `data` at the given cut points (sorted, de-duplicated, inside the data). */
export function chunked(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < data.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, data.length]) {
    out.push(data.subarray(start, point));
    start = point;
  }
  return out;
}

type Mergeable = { type: 'echo' | 'passthrough'; bytes: Uint8Array };

/** Joins adjacent echo (or passthrough) events, whose boundaries follow the chunking. */
export function mergeRuns<E extends { type: string }>(events: readonly E[]): E[] {
  const out: E[] = [];
  for (const event of events) {
    const last = out[out.length - 1];
    if (
      last !== undefined &&
      last.type === event.type &&
      (event.type === 'echo' || event.type === 'passthrough')
    ) {
      const a = last as unknown as Mergeable;
      const b = event as unknown as Mergeable;
      out[out.length - 1] = { type: a.type, bytes: Buffer.concat([a.bytes, b.bytes]) } as unknown as E;
    } else {
      out.push(event);
    }
  }
  return out;
}

/** Replaces byte arrays by their latin1 text so toEqual compares Buffers and Uint8Arrays alike. */
export function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: text(value) };
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

export function drainHost(parser: HostResponseParser): HostEvent[] {
  const events: HostEvent[] = [];
  for (let event = parser.next(); event !== undefined; event = parser.next()) events.push(event);
  return events;
}

/** Host events for a transcript, pushed in the given chunks. */
export function parseHost(
  chunks: readonly Uint8Array[] | string,
  profile: FirmwareProfile = DEFAULT_PROFILE,
): HostEvent[] {
  const parser = new HostResponseParser(profile);
  const list = typeof chunks === 'string' ? [bytes(chunks)] : chunks;
  const events: HostEvent[] = [];
  for (const chunk of list) {
    parser.push(chunk);
    events.push(...drainHost(parser));
  }
  return events;
}

/**
 * Drives a module parser like the emulator would: after a CIPSEND/CIPSENDEX set command it
 * enters data mode with the declared length; after CIPSEND exec, passthrough.
 */
export function reactingConsumer(parser: ModuleInputParser): (event: ModuleInputEvent) => void {
  return (event) => {
    if (event.type !== 'command') return;
    const { name, form, params } = event.command;
    if ((name === 'CIPSEND' || name === 'CIPSENDEX') && form === 'set') {
      // `<len>`, `<id>,<len>`, `<len>,<host>,<port>`, `<id>,<len>,<host>,<port>`
      const length = params[params.length % 2 === 0 ? 1 : 0];
      if (length?.kind === 'int' && length.value >= 0 && length.value <= 8192) {
        parser.enterData(length.value, { sendEx: name === 'CIPSENDEX' });
      }
    } else if (name === 'CIPSEND' && form === 'exec') {
      parser.enterPassthrough();
    }
  };
}

export function parseModule(
  chunks: readonly Uint8Array[] | string,
  react: (parser: ModuleInputParser) => (event: ModuleInputEvent) => void = () => () => undefined,
  parser = new ModuleInputParser(),
): ModuleInputEvent[] {
  const list = typeof chunks === 'string' ? [bytes(chunks)] : chunks;
  const onEvent = react(parser);
  const events: ModuleInputEvent[] = [];
  for (const chunk of list) {
    parser.push(chunk);
    for (let event = parser.next(); event !== undefined; event = parser.next()) {
      events.push(event);
      onEvent(event);
    }
  }
  return events;
}
