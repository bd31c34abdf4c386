/**
 * A firmware profile holds every wire-visible difference between firmware versions
 * (esp-at.md §7.1). The command table names a profile's commands; the formatters and
 * parsers take a profile so one code path serves every version.
 */
export type ProfileId = 'esp32-at-2.x' | 'esp8266-at-1.7';

export interface FirmwareProfile {
  readonly id: ProfileId;
  /** Human name, shown by the CLI and docs. */
  readonly title: string;
  /** AT+GMR information lines, in order. */
  readonly gmrLines: readonly string[];
  /** Bytes of the CIPSEND prompt after `\r\nOK\r\n`: 2.x `\r\n>`, 1.7 `> `. */
  readonly promptText: string;
  /** Final result of a failed CWJAP: 2.x `ERROR`, 1.7 `FAIL`. */
  readonly joinFailResult: 'ERROR' | 'FAIL';
  /** `+CIPDOMAIN:"1.2.3.4"` (2.x) vs `+CIPDOMAIN:1.2.3.4` (1.7). */
  readonly quoteDomainAnswer: boolean;
  /** Remote IP quoted in `+IPD` with CIPDINFO=1: 2.x yes, 1.7 no. */
  readonly quoteIpdRemote: boolean;
  /** `+CIPRECVDATA:<len>,<data>` (2.x) vs `+CIPRECVDATA,<len>:<data>` (1.7). */
  readonly recvDataStyle: '2.x' | '1.7';
  /** Largest CIPSEND/CIPSENDEX length. */
  readonly maxSendLength: number;
  /** Largest payload of one active-mode `+IPD`. */
  readonly maxIpdLength: number;
  /** Passthrough: bytes buffered before the module flushes to the socket. */
  readonly passthroughPacketSize: number;
  /** Passive receive window per link (bytes buffered before TCP flow control pushes back). */
  readonly passiveWindow: number;
  /** Maximum command line length in bytes, CR LF excluded. */
  readonly maxLineLength: number;
  /** Short texts the old firmware prints before ERROR (`no ip`, `DNS Fail`, `link is not valid`, `UNLINK`); null in 2.x. */
  readonly errorWords: {
    readonly noIp: string | null;
    readonly dnsFail: string | null;
    readonly invalidLink: string | null;
    readonly closeNotOpen: string | null;
  };
}
