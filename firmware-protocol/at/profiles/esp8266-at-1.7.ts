import { COMMON_DEFAULTS, COMMON_TIMING } from './shared.js';
import { curDefNames, defineProfile } from './define.js';
import { ESP8266_NONOS_AT_1_7_4 } from './documented/esp8266-at-1.7.js';

/**
 * ESP8266 NonOS AT 1.7.4. Settings commands come as `_CUR` (RAM) and `_DEF` (flash) names; set
 * commands without such a name write flash. The +IPD chunk (one TCP MSS) and the passive window
 * (two MSS) are UNSURE in the reference; they only shape how the emulator splits data. The prompt
 * is `>` and one space, with no blank line before it. The commands, names and reply formats are read off the
 * firmware itself where the PDF is vague: ESP8266_NONOS_SDK v3.0.4's lib/libat.a (its command table is
 * `documented`; the `nonos` variants cite the handler they were read from).
 */
export const ESP8266_AT_17 = defineProfile({
  id: 'esp8266-at-1.7',
  title: 'ESP8266 NonOS AT 1.7',
  gmrLines: [
    'AT version:1.7.4.0(May 11 2020 19:13:04)',
    'SDK version:3.0.4(9532ceb)',
    'compiled @ May 27 2020 10:12:17',
    'Bin version(Wroom 02):1.7.4',
  ],
  versions: { from: [0, 0], below: [2, 0] },
  earlierReleases: [],
  documented: ESP8266_NONOS_AT_1_7_4,
  promptText: '> ',
  joinFailResult: 'FAIL',
  saving: 'flash',
  errorWords: { noIp: 'no ip', dnsFail: 'DNS Fail', invalidLink: 'link is not valid', closeNotOpen: 'UNLINK' },
  limits: {
    maxSendLength: 2048,
    maxRecvDataLength: 2048,
    links: 5,
    passiveWindow: 2920,
    passiveReceiveTypes: ['TCP'],
    maxIpdLength: 1460,
    passthroughPacketSize: 2048,
    passthroughServer: false,
    passthroughReconnect: false,
    maxLineLength: 256,
    // axTLS: one SSL connection at a time.
    sslLinks: 1,
  },
  layout: {
    quoteDomainAnswer: false,
    quoteIpdRemote: false,
    recvDataHeader: 'comma-length-colon',
    recvDataRemote: false,
    absentLinkRecvLength: 0,
    cipStatusCodes: [2, 3, 4, 5],
    dhcpBitOrder: 'softap-first',
    consoleOnAtPort: true,
  },
  // axTLS: whether (and by which clock) it checks dates is not documented; copro uses its machine's.
  ssl: { handshakeFailure: 'closed-then-ok', passthrough: false, certificateClock: 'host' },
  timing: COMMON_TIMING,
  // libmain's wifi_station_set_default_hostname: `ESP-%02X%02X%02X` of the MAC's last three bytes.
  // The instruction set (AT+SLEEP): "Modem-sleep is the default sleep mode" (2 on NonOS).
  defaults: { ...COMMON_DEFAULTS, hostname: 'ESP-{mac3}', sleepMode: 2 },
  // NonOS 1.7 has neither AT+RFPOWER's query nor AT+SYSFLASH: nothing reads these.
  radio: { wifiSteps: [], wifiDefault: 82, bleDefault: 0 },
  partitions: [],
  // Not confirmed for NonOS: its AT+UART_CUR? shows the rate set.
  uartClock: null,
  commands: {
    AT: {},
    ATE0: {},
    ATE1: {},
    RST: {},
    GMR: {},
    RESTORE: {},
    SYSMSG: { variant: 'nonos', names: curDefNames('SYSMSG', { plain: false }) },
    SYSRAM: {},
    GSLP: {},
    UART: {
      variant: 'esp8266',
      names: {
        UART_CUR: { save: 'ram', note: 'not saved' },
        UART_DEF: { save: 'flash', shows: 'stored', note: 'saved in flash' },
        UART: { save: 'flash', shows: 'stored', note: 'deprecated = UART_DEF' },
      },
    },
    CWMODE: { variant: 'nonos', names: curDefNames('CWMODE', { plain: true }) },
    CWJAP: { variant: 'nonos', names: curDefNames('CWJAP', { plain: true }) },
    CWQAP: {},
    CWLAP: {},
    CWLAPOPT: { variant: 'nonos' },
    CWAUTOCONN: {},
    CWDHCP: { variant: 'nonos', names: curDefNames('CWDHCP', { plain: true }) },
    CIPSTAMAC: { names: curDefNames('CIPSTAMAC', { plain: true }) },
    CIPAPMAC: { names: curDefNames('CIPAPMAC', { plain: true }) },
    CIPSTA: { names: curDefNames('CIPSTA', { plain: true }) },
    CIFSR: {},
    CIPMUX: {},
    CIPSTART: { variant: 'nonos' },
    CIPSEND: {},
    CIPSENDEX: {},
    CIPCLOSE: {},
    CIPSTATUS: {},
    CIPDOMAIN: { variant: 'nonos' },
    CIPDINFO: { variant: 'nonos' },
    CIPRECVMODE: {},
    CIPRECVDATA: {},
    CIPRECVLEN: {},
    CIPSERVER: { variant: 'nonos' },
    CIPSERVERMAXCONN: {},
    CIPSTO: {},
    CIPMODE: {},
    CIPDNS: { variant: 'nonos', names: curDefNames('CIPDNS', { plain: false }) },
    CIPSSLCCONF: { variant: 'bits' },
    CIPSSLSIZE: {},
    CWHOSTNAME: {},
    CWSTARTSMART: { variant: 'nonos' },
    CWSTOPSMART: {},
    WPS: { variant: 'nonos' },
    CWSAP: { variant: 'nonos', names: curDefNames('CWSAP', { plain: true }) },
    CWLIF: { variant: 'nonos' },
    CWDHCPS: { variant: 'nonos', names: curDefNames('CWDHCPS', { plain: false }) },
    CIPAP: { names: curDefNames('CIPAP', { plain: true }) },
    SLEEP: { variant: 'nonos' },
    RFPOWER: { variant: 'nonos' },
    CIPSNTPCFG: { variant: 'nonos' },
    CIPSNTPTIME: { variant: 'nonos' },
    PING: { variant: 'nonos' },
  },
});
