/**
 * The NINA dialogue decoder: host bytes through the codec's NinaRequestParser, module bytes
 * through its NinaReplyParser, each frame described by command name with its parameters (short
 * ones in hex, long ones by size), as the driver's `[nina]` trace shows them.
 */
import { findNinaCommand } from '../../firmware-protocol/nina/command-table.js';
import { NinaReplyParser } from '../../firmware-protocol/nina/reply-parser.js';
import { NinaRequestParser } from '../../firmware-protocol/nina/request-parser.js';
import type { NinaReplyEvent, NinaRequestEvent } from '../../firmware-protocol/nina/types.js';
import type { DialogueDecoder, DialogueEvent } from './dialogue.js';
import type { LineEventKind } from './format.js';

function nameOf(code: number): string {
  return findNinaCommand(code)?.name ?? `0x${(code & 0x7f).toString(16).padStart(2, '0')}`;
}

function showParams(params: readonly Uint8Array[]): string {
  return params.map((p) => (p.length <= 16 ? Buffer.from(p).toString('hex') || '""' : `<${p.length} bytes>`)).join(' ');
}

function describeRequest(event: NinaRequestEvent): string {
  switch (event.type) {
    case 'request':
      return `${nameOf(event.command)} ${showParams(event.params)}`.trimEnd();
    case 'garbage':
      return `garbage where a frame must start (0x${event.firstByte.toString(16).padStart(2, '0')})`;
    case 'malformed':
      return `${nameOf(event.command)}: malformed frame (${event.reason}, ${event.length} bytes)`;
  }
}

function describeReply(event: NinaReplyEvent): string {
  switch (event.type) {
    case 'reply':
      return `${nameOf(event.command)}${event.replyFlag ? '' : ' (reply flag missing)'} ${showParams(event.params)}`.trimEnd();
    case 'error-reply':
      return 'error reply';
    case 'skipped':
      return `${event.count} bytes between frames skipped`;
    case 'malformed':
      return `${nameOf(event.command)}: malformed reply (${event.reason}, ${event.length} bytes)`;
  }
}

/** Pushes `bytes` into one direction's parser and describes every frame it completes. */
function framesOf<E>(
  parser: { push(bytes: Uint8Array): void; next(): E | undefined },
  bytes: Uint8Array,
  side: 'host' | 'module',
  describe: (event: E) => string,
): DialogueEvent[] {
  const events: DialogueEvent[] = [];
  parser.push(bytes);
  for (let event = parser.next(); event !== undefined; event = parser.next()) events.push({ side, kind: 'frame', text: describe(event) });
  return events;
}

export class NinaDialogueDecoder implements DialogueDecoder {
  private requests = new NinaRequestParser();
  private replies = new NinaReplyParser();

  host(bytes: Uint8Array): DialogueEvent[] {
    return framesOf(this.requests, bytes, 'host', describeRequest);
  }

  module(bytes: Uint8Array): DialogueEvent[] {
    return framesOf(this.replies, bytes, 'module', describeReply);
  }

  lineEvent(kind: LineEventKind): void {
    if (kind === 'reset' || kind === 'device-attached') {
      this.requests = new NinaRequestParser();
      this.replies = new NinaReplyParser();
    }
  }
}
