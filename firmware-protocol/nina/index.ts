/** NINA SPI frame codec: pure bytes <-> frames, no I/O, no timers (peers.md Part 1, host-mapping.md). */
export * from './constants.js';
export {
  NINA_COMMANDS,
  NinaCode,
  findNinaCommand,
  ninaCommand,
  replyLengthWidth,
  requestLengthWidth,
} from './command-table.js';
export type { LengthWidth, NinaCommand, NinaCommandName } from './command-table.js';
export type { MalformedReason, NinaFrame, NinaReplyEvent, NinaRequestEvent } from './types.js';
export { NinaRequestParser } from './request-parser.js';
export type { NinaRequestParserOptions } from './request-parser.js';
export { NinaReplyParser } from './reply-parser.js';
export type { NinaReplyParserOptions } from './reply-parser.js';
export { NinaFormatError, formatErrorReply, formatReply, formatRequest } from './formatters.js';
export type { FormatRequestOptions, RequestPadding } from './formatters.js';
export * as ninaFields from './fields.js';
