import { isIPv4 } from 'node:net';

/**
 * Field checks for the radio world's JSON. Each takes the value and its path in the document
 * (`accessPoints[0].rssi`) so a bad file is reported by the field that is wrong, not by a stack trace.
 */

export class WorldConfigError extends Error {
  constructor(
    /** Where in the document the bad value is, e.g. `accessPoints[1].bssid`; '' for the whole document. */
    readonly path: string,
    detail: string,
    /** The file (or other origin) the document came from. */
    readonly source = 'world config',
  ) {
    super(`${source}: ${path === '' ? '' : `${path}: `}${detail}`);
    this.name = 'WorldConfigError';
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

export const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

export class FieldReader {
  constructor(private readonly source: string) {}

  fail(path: string, detail: string): never {
    throw new WorldConfigError(path, detail, this.source);
  }

  object(value: unknown, path: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `must be an object (got ${describe(value)})`);
    }
    return value as JsonObject;
  }

  array(value: unknown, path: string): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(path, `must be an array (got ${describe(value)})`);
    return value;
  }

  /** Typos in a hand-written file should fail loudly rather than be silently ignored. */
  onlyKeys(object: JsonObject, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) {
        const where = path === '' ? key : `${path}.${key}`;
        this.fail(where, `unknown field (expected one of: ${allowed.join(', ')})`);
      }
    }
  }

  string(value: unknown, path: string, minLength: number, maxLength: number): string {
    if (typeof value !== 'string') this.fail(path, `must be a string (got ${describe(value)})`);
    // Lengths are in bytes: the firmware's limits are on its UTF-8 buffers.
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes < minLength || bytes > maxLength) {
      this.fail(path, `must be ${minLength}..${maxLength} bytes long (got ${bytes})`);
    }
    return value;
  }

  integer(value: unknown, path: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(path, `must be an integer in ${min}..${max} (got ${describe(value)})`);
    }
    return value;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, `must be true or false (got ${describe(value)})`);
    return value;
  }

  nonNegative(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      this.fail(path, `must be a number >= 0 (got ${describe(value)})`);
    }
    return value;
  }

  ipv4(value: unknown, path: string): string {
    if (typeof value !== 'string' || !isIPv4(value)) {
      this.fail(path, `must be an IPv4 address like "192.168.1.2" (got ${describe(value)})`);
    }
    return value;
  }

  /** A MAC address `aa:bb:cc:dd:ee:ff`, returned in lower case as the firmware prints it. */
  mac(value: unknown, path: string): string {
    if (typeof value !== 'string' || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(value)) {
      this.fail(path, `must be a MAC address like "24:0a:c4:00:00:01" (got ${describe(value)})`);
    }
    return value.toLowerCase();
  }

  /** A host name for the hosts table: labels of letters, digits, '-' and '_', dot separated. */
  hostName(value: string, path: string): string {
    const name = value.toLowerCase().replace(/\.$/, '');
    const label = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;
    if (name.length === 0 || name.length > 253 || !name.split('.').every((part) => label.test(part))) {
      this.fail(path, 'is not a valid host name');
    }
    return name;
  }

  /** `"<IPv4>:<port>"`: where a name of the firmware's (an OTA or SNTP server) is in this world. */
  hostPort(value: unknown, path: string): { readonly host: string; readonly port: number } {
    const text = typeof value === 'string' ? value : '';
    const colon = text.lastIndexOf(':');
    const host = colon < 0 ? '' : text.slice(0, colon);
    const port = colon < 0 ? Number.NaN : Number(text.slice(colon + 1));
    if (!isIPv4(host) || !Number.isInteger(port) || port < 1 || port > 65535) this.fail(path, `give "<IPv4>:<port>" (got ${describe(value)})`);
    return Object.freeze({ host, port });
  }
}
