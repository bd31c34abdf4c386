import { commandPiece } from '../../../firmware-protocol/at/module-output.js';
import type { HttpClientModel } from '../../../firmware-protocol/at/profile.js';
import type { CommandCall } from '../handler-types.js';
import { HttpRequestError } from '../http-client.js';
import type { ModuleCore } from '../module-core.js';

/** What the HTTP command handlers share: the long URL, pieces, and the firmware's error codes. */

/** HTTP AT error codes (HTTP_AT_Commands.rst): 0x7000 + the status, 0x7000 alone when no answer came. */
export const HTTP_ERROR_BASE = 0x7000;

/** The URL AT+HTTPURLCFG set, per module; a reset forgets it (it lives in RAM). */
const LONG_URLS = new WeakMap<ModuleCore, { readonly epoch: number; readonly url: string }>();

export function longUrl(core: ModuleCore): string | null {
  const entry = LONG_URLS.get(core);
  return entry !== undefined && entry.epoch === core.epoch ? entry.url : null;
}

export function setLongUrl(core: ModuleCore, url: string | null): void {
  if (url === null) LONG_URLS.delete(core);
  else LONG_URLS.set(core, { epoch: core.epoch, url });
}

/** The profile's HTTP client, or null (with a note) for a profile that lists the commands without it. */
export function httpModel(core: ModuleCore): HttpClientModel | null {
  if (core.profile.http === undefined) core.tracer.note(`${core.profile.title} declares no HTTP client model`);
  return core.profile.http ?? null;
}

type PieceCommand = 'HTTPCLIENT' | 'HTTPCGET' | 'HTTPCPOST' | 'HTTPCPUT';

/** `+<name>:<len>,<bytes>\r\n`: a piece of the body, or a header line of a HEAD answer. */
export function writePiece(core: ModuleCore, call: CommandCall<PieceCommand, unknown>, bytes: Uint8Array): void {
  core.write(commandPiece(call.spec.command as PieceCommand, bytes));
}

/** A request that got no answer: `ERR CODE:0x010a7000` with AT+SYSLOG=1, then ERROR. */
export function answerHttpFailure(core: ModuleCore, error: unknown, what: string): void {
  const detail = error instanceof HttpRequestError ? `${error.reason}: ${error.message}` : String(error);
  core.tracer.note(`${what} failed (${detail})`);
  core.error('exec-failed', undefined, HTTP_ERROR_BASE);
}

/** An answer of 400 or more: `ERR CODE:0x010a7<status>` with AT+SYSLOG=1, then ERROR. */
export function answerHttpStatus(core: ModuleCore, status: number): void {
  core.tracer.note(`HTTP status ${status}`);
  core.error('exec-failed', undefined, HTTP_ERROR_BASE + status);
}

/** Statuses the firmware reports as errors. */
export function isErrorStatus(status: number): boolean {
  return status >= 400;
}

/** A `Key: value` request header parameter split as the firmware does (at the first colon). */
export function splitHeader(text: string): [string, string] | null {
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}
