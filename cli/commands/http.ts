/**
 * `copro http METHOD URL`: an HTTP request made by the module's own HTTP client (ESP-AT's
 * AT+HTTPCLIENT family, docs/cli.md). The body goes to stdout as it comes (HEAD: the response headers);
 * progress goes to stderr, only when stderr is a terminal, as `copro nc` does.
 */
import type { Writable } from 'node:stream';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { HTTP_CONTENT_TYPES, type HttpContentType, type HttpMethod } from '../../src/http.js';
import { openDevice, withDeviceOptions, type DeviceOptions } from '../../src/tools/cli-device.js';
import { reportAndExit } from '../fail.js';

const METHODS: readonly HttpMethod[] = ['HEAD', 'GET', 'POST', 'PUT', 'DELETE'];

/** Short names of the content types the module can send. */
const TYPE_NAMES: Readonly<Record<string, HttpContentType>> = {
  form: 'application/x-www-form-urlencoded',
  json: 'application/json',
  multipart: 'multipart/form-data',
  xml: 'text/xml',
};

export interface HttpCliOptions extends DeviceOptions {
  /** The POST body, as given (the shell can fill it from a file: `--data "$(cat f)"`). */
  readonly data?: string;
  readonly header?: readonly string[];
  readonly type?: string;
}

export interface HttpStreams {
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
}

function parseMethod(value: string): HttpMethod {
  const method = value.toUpperCase() as HttpMethod;
  if (!METHODS.includes(method)) throw new InvalidArgumentError(`expected one of ${METHODS.join(', ')}`);
  return method;
}

function contentTypeOf(name: string | undefined): HttpContentType | undefined {
  if (name === undefined) return undefined;
  const type = TYPE_NAMES[name] ?? (HTTP_CONTENT_TYPES as readonly string[]).find((known) => known === name);
  if (type === undefined) throw new InvalidArgumentError(`content type: one of ${Object.keys(TYPE_NAMES).join(', ')}`);
  return type as HttpContentType;
}

export async function runHttp(methodText: string, url: string, opts: HttpCliOptions, streams: HttpStreams): Promise<void> {
  const method = parseMethod(methodText);
  const body = opts.data;
  const live = streams.stderr.isTTY === true;
  let received = 0;
  const copro = await openDevice(opts, true);
  try {
    if (live) streams.stderr.write(`copro http: ${method} ${url} through ${copro.backend.info.name}\n`);
    const answer = await copro.http.request(url, {
      method,
      ...(body !== undefined ? { body } : {}),
      ...(opts.type !== undefined ? { contentType: contentTypeOf(opts.type) } : {}),
      headers: opts.header ?? [],
      onPiece: (piece) => {
        // The body goes out as the module prints it (an error status's body too, as curl does).
        if (method !== 'HEAD') streams.stdout.write(piece);
        received += piece.length;
        if (live) streams.stderr.write(`\r\x1b[K↓ ${received} bytes`);
      },
    }).finally(() => {
      if (live) streams.stderr.write('\r\x1b[K');
    });
    if (method === 'HEAD') streams.stdout.write(answer.headerLines.map((line) => `${line}\n`).join(''));
  } finally {
    await copro.close();
  }
}

export function registerHttp(program: Command): void {
  withDeviceOptions(
    program
      .command('http')
      .description("an HTTP request made by the module's own HTTP client (AT+HTTPCLIENT); the body goes to stdout")
      .argument('<method>', `${METHODS.join(', ')}`)
      .argument('<url>', 'http:// or https:// URL (the module resolves the host)')
      .option('--data <text>', 'POST body')
      .option('-H, --header <line...>', 'request header(s), "Name: value"')
      .addOption(new Option('-t, --type <type>', 'content type of the body').choices(Object.keys(TYPE_NAMES))),
  ).action(async (method: string, url: string, opts: HttpCliOptions) => {
    try {
      await runHttp(method, url, opts, { stdout: process.stdout, stderr: process.stderr });
      process.exit(0);
    } catch (err) {
      reportAndExit(err);
    }
  });
}
