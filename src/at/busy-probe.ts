/**
 * The probe AtClient sends after an unclear `busy p...` (peers.md E6): was our command refused,
 * or was the busy line a stray one after an earlier answer? `AT+UART_CUR?` is harmless, exists on
 * ESP-AT 2.x and NonOS 1.7, and its answer (`+UART_CUR:…`) is one no command of the driver has,
 * so whichever final result comes with that line is the probe's:
 *   - the probe's answer before any answer of ours → ours was thrown away: send it again (the
 *     module is idle now, so it runs once);
 *   - our answer first → ours ran; the probe's answer that follows is nobody's and is dropped;
 *   - `busy` again → the module is still running ours: wait, probe again later.
 */
export const PROBE_TEXT = 'AT+UART_CUR?';

/**
 * A CIPSEND cannot be probed: if the module took it and its prompt is late, the probe would be
 * payload. After a busy line that did not come with an earlier command of ours running, and was
 * not already on its way before our line (AtClient counts receive turns), the CIPSEND line is sent
 * again once the module has said nothing at all for this long. The residual risk: a module that
 * printed a busy line without refusing our CIPSEND and then held its `>` longer than this. Real
 * firmware's busy is a refusal (peers.md E6); only a fault plan could do it (a stray busy line
 * followed by a long stall), and the soak would count it.
 */
export const SEND_QUIET_MS = 1500;
export const PROBE_LINE: Uint8Array = Buffer.from(`${PROBE_TEXT}\r\n`, 'latin1');

/** The info line only the probe's answer carries. */
const PROBE_INFO = 'UART_CUR';

interface ReplyItems {
  infos: { name: string; text: string }[];
  lines: string[];
}

/** Whether the reply collected so far holds the probe's answer. */
export function probeAnswered(reply: ReplyItems): boolean {
  return reply.infos.some((info) => info.name === PROBE_INFO);
}

/** Takes the probe's lines (its answer, and its echo if echo was on) out of a command's reply. */
export function stripProbeAnswer(reply: ReplyItems): void {
  reply.infos = reply.infos.filter((info) => info.name !== PROBE_INFO);
  reply.lines = reply.lines.filter((line) => line !== PROBE_TEXT);
}
