import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ESP32_AT_2X,
  ESP8266_AT_17,
  PROFILE_LIST,
  commandsOf,
  formatReply,
  readReply,
  replyText,
  type FirmwareProfile,
  type HostEvent,
} from '../../firmware-protocol/index.js';
import { linesOf } from '../../firmware-protocol/at/grammar/replies.js';
import { bytes, parseHost } from './helpers.js';
import { declValue } from './grammar-arbitraries.js';

/** What the driver collects from the events of one reply (as AtClient does). */
function replyOf(events: readonly HostEvent[]) {
  const infos: { name: string; text: string }[] = [];
  const lines: string[] = [];
  for (const event of events) {
    if (event.type === 'info') infos.push({ name: event.name, text: event.text });
    else if (event.type === 'line') lines.push(event.text);
  }
  return { infos, lines };
}

function through(profile: FirmwareProfile, wire: string) {
  return replyOf(parseHost([bytes(wire)], profile));
}

describe('reply lines: exact bytes (the firmware format strings, esp-at.md §1.2, and the AT_Command_Set pages)', () => {
  it('writes 2.x information lines as the core library prints them', () => {
    const p = ESP32_AT_2X;
    // `%s:"%s","%02x:...",%d,%d,%d,%d,%d,%d,%d`
    const joined = { ssid: 'lab', bssid: 'ca:d7:19:d8:a6:44', channel: 6, rssi: -45 };
    const settings = { pci_en: 0, reconn_interval: 1, listen_interval: 3, scan_mode: 0, pmf: 0 };
    expect(formatReply(p, 'CWJAP', 'joined', { ...joined, ...settings })).toBe('+CWJAP:"lab","ca:d7:19:d8:a6:44",6,-45,0,1,3,0,0\r\n');
    // `puts("No AP\r")`: console output, which the ESP32's AT port (UART1) never carries; NonOS's one UART does.
    expect(formatReply(p, 'CWJAP', 'noAp', 'No AP')).toBe('');
    expect(formatReply(ESP8266_AT_17, 'CWJAP', 'noAp', 'No AP')).toBe('No AP\r\n');
    expect(formatReply(p, 'CWJAP', 'failure', { code: 3 })).toBe('+CWJAP:3\r\n');
    // `%s:ip:"%d.%d.%d.%d"`, `%s:gateway:...`, `%s:netmask:...` (TCP-IP_AT_Examples)
    expect(formatReply(p, 'CIPSTA', 'address', { ip: '192.168.3.112', gateway: '192.168.3.1', netmask: '255.255.255.0' })).toBe(
      '+CIPSTA:ip:"192.168.3.112"\r\n+CIPSTA:gateway:"192.168.3.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n',
    );
    // `%s:STAIP,"%d.%d.%d.%d"`, `%s:STAMAC,"%02x:..."` after the softAP's
    expect(formatReply(p, 'CIFSR', 'addresses', { STAMAC: '24:0a:c4:c0:90:01', STAIP: '0.0.0.0', APIP: '192.168.4.1' })).toBe(
      '+CIFSR:APIP,"192.168.4.1"\r\n+CIFSR:STAIP,"0.0.0.0"\r\n+CIFSR:STAMAC,"24:0a:c4:c0:90:01"\r\n',
    );
    // `STATUS:%d`, then `%s:%d,"%s","%s",%d,%d,%d`
    expect(formatReply(p, 'CIPSTATUS', 'status', { status: 3 })).toBe('STATUS:3\r\n');
    const link = { link_id: 0, type: 'TCP', remote_ip: '10.0.0.1', remote_port: 80, local_port: 50000, tetype: 0 };
    expect(formatReply(p, 'CIPSTATE', 'link', link)).toBe('+CIPSTATE:0,"TCP","10.0.0.1",80,50000,0\r\n');
    // AT+CIPDINFO? `+CIPDINFO:true`; AT+CIPRECVLEN? example shape; AT+SYSRAM? example
    expect(formatReply(p, 'CIPDINFO', 'mode', { mode: true })).toBe('+CIPDINFO:true\r\n');
    expect(formatReply(p, 'CIPRECVLEN', 'lengths', { lengths: [100, undefined, undefined, undefined, undefined] })).toBe(
      '+CIPRECVLEN:100,,,,\r\n',
    );
    expect(formatReply(p, 'SYSRAM', 'heap', { remaining: 148408, minimum: 84044 })).toBe('+SYSRAM:148408,84044\r\n');
    expect(formatReply(p, 'CIPSERVER', 'server', { mode: 1, port: 333, type: 'TCP', ca_enable: 0 })).toBe('+CIPSERVER:1,333,"TCP",0\r\n');
    expect(formatReply(p, 'CIPSERVER', 'server', { mode: 0 })).toBe('+CIPSERVER:0\r\n');
    expect(formatReply(p, 'CIPDNS', 'dns', { enable: 1, servers: ['8.8.8.8', '1.1.1.1'] })).toBe('+CIPDNS:1,"8.8.8.8","1.1.1.1"\r\n');
    // `%s:%d,%d,%d,%d`; `%s:%d,%s` (unquoted, although the docs quote it)
    expect(formatReply(p, 'CIPSSLCCONF', 'config', { link_id: 0, auth_mode: 2, pki_number: 0, ca_number: 1 })).toBe(
      '+CIPSSLCCONF:0,2,0,1\r\n',
    );
    expect(formatReply(p, 'CIPSSLCSNI', 'name', { link_id: 1, name: 'api.lab' })).toBe('+CIPSSLCSNI:1,api.lab\r\n');
    expect(formatReply(p, 'CIPSSLCALPN', 'protocols', { link_id: 0, protocols: ['h2', 'http/1.1'] })).toBe(
      '+CIPSSLCALPN:0,h2,http/1.1\r\n',
    );
    expect(formatReply(p, 'CIPSSLCCONF', 'missing', 'NO CA FOUND')).toBe('NO CA FOUND\r\n');
  });

  it('writes CWLAP in parentheses, with AT+CWLAPOPT leaving fields out', () => {
    const ap = {
      ecn: 3,
      ssid: 'copro-lab',
      rssi: -45,
      mac: 'ca:d7:19:d8:a6:44',
      channel: 6,
      freq_offset: -1,
      freqcal_val: -1,
      pairwise_cipher: 4,
      group_cipher: 4,
      bgn: 7,
      wps: 0,
    };
    expect(formatReply(ESP32_AT_2X, 'CWLAP', 'ap', ap)).toBe('+CWLAP:(3,"copro-lab",-45,"ca:d7:19:d8:a6:44",6,-1,-1,4,4,7,0)\r\n');
    expect(formatReply(ESP32_AT_2X, 'CWLAP', 'ap', ap, { mask: 0b11111 })).toBe('+CWLAP:(3,"copro-lab",-45,"ca:d7:19:d8:a6:44",6)\r\n');
    expect(formatReply(ESP32_AT_2X, 'CWLAP', 'ap', ap, { mask: 0b10010 })).toBe('+CWLAP:("copro-lab",6)\r\n');
  });

  it('writes the NonOS forms: _CUR/_DEF leads, the short CWJAP, one CIPDNS line per server, the unquoted domain', () => {
    const p = ESP8266_AT_17;
    expect(formatReply(p, 'CWMODE', 'mode', { mode: 1 }, { save: 'ram' })).toBe('+CWMODE_CUR:1\r\n');
    expect(formatReply(p, 'CWMODE', 'range', { range: '(1-3)' }, { save: 'ram' })).toBe('+CWMODE_CUR:(1-3)\r\n');
    const joined = { ssid: 'lab', bssid: 'ca:d7:19:d8:a6:44', channel: 6, rssi: -45, pci_en: 0, pmf: 0 };
    expect(formatReply(p, 'CWJAP', 'joined', joined, { save: 'ram' })).toBe('+CWJAP_CUR:"lab","ca:d7:19:d8:a6:44",6,-45\r\n');
    expect(formatReply(p, 'CIPDNS', 'server', { server: '208.67.222.222' }, { save: 'ram' })).toBe('+CIPDNS_CUR:208.67.222.222\r\n');
    expect(formatReply(p, 'CIPDOMAIN', 'address', { ip: '1.2.3.4' })).toBe('+CIPDOMAIN:1.2.3.4\r\n');
    expect(formatReply(p, 'CIPSSLCCONF', 'mode', { mode: 3 })).toBe('+CIPSSLCCONF:3\r\n');
    expect(formatReply(p, 'UART', 'config', { baudrate: 115200, databits: 8, stopbits: 1, parity: 0, flow_control: 0 }, { save: 'flash' })).toBe(
      '+UART_DEF:115200,8,1,0,0\r\n',
    );
  });
});

describe('reply lines: the driver reads what the module prints', () => {
  it('reads an SSID holding quotes and commas, matching around it (the firmware prints it raw)', () => {
    const ap = { ecn: 3, ssid: 'a","b,"c', rssi: -45, mac: 'CA:D7:19:D8:A6:44', channel: 6 };
    const wire = formatReply(ESP32_AT_2X, 'CWLAP', 'ap', ap, { mask: 0b11111 });
    expect(readReply(ESP32_AT_2X, 'CWLAP', through(ESP32_AT_2X, wire)).ap).toEqual([ap]);
    const joined = { ssid: 'x","y', bssid: 'ca:d7:19:d8:a6:44', channel: 1, rssi: -70 };
    const line = formatReply(ESP8266_AT_17, 'CWJAP', 'joined', joined);
    expect(readReply(ESP8266_AT_17, 'CWJAP', through(ESP8266_AT_17, line)).joined).toEqual(joined);
  });

  it('reads lines later firmware extends, and both quotings of an address', () => {
    const wire = '+CWLAP:(3,"lab",-45,"ca:d7:19:d8:a6:44",6,-1,-1,4,4,7,0,1,2)\r\n+CIPSTATE:1,"UDP","10.0.0.2",53,4000,0,9\r\n';
    const reply = through(ESP32_AT_2X, wire);
    expect(readReply(ESP32_AT_2X, 'CWLAP', reply).ap).toHaveLength(1);
    expect(readReply(ESP32_AT_2X, 'CIPSTATE', reply).link[0]).toMatchObject({ link_id: 1, type: 'UDP', local_port: 4000 });
    expect(readReply(ESP32_AT_2X, 'CIPDOMAIN', through(ESP32_AT_2X, '+CIPDOMAIN:9.9.9.9\r\n')).address).toEqual({ ip: '9.9.9.9' });
    expect(readReply(ESP8266_AT_17, 'CIPDOMAIN', through(ESP8266_AT_17, '+CIPDOMAIN:"9.9.9.9"\r\n')).address).toEqual({ ip: '9.9.9.9' });
  });

  it('reads every name a profile gives the command', () => {
    const reply = through(ESP8266_AT_17, '+CWMODE_DEF:2\r\n');
    expect(readReply(ESP8266_AT_17, 'CWMODE', reply).mode).toEqual({ mode: 2 });
    expect(readReply(ESP32_AT_2X, 'CWMODE', reply).mode).toBeUndefined();
  });

  // parse(format(values)) == values, through the host parser, for every line of every command as
  // each profile has it.
  for (const profile of PROFILE_LIST) {
    for (const spec of commandsOf(profile)) {
      for (const [key, decl] of Object.entries(linesOf(spec.command, spec.variant))) {
        it(`${profile.id} ${spec.name} ${key}: reads back what it prints`, () => {
          fc.assert(
            fc.property(declValue(decl), (value) => {
              // An unterminated line (`+CWAUTOCONN:1`) ends with the final result's leading CR LF.
              const unterminated = (decl.kind === 'one' || decl.kind === 'many') && decl.line.unterminated === true;
              const wire = replyText(profile, spec, key, value) + (unterminated ? '\r\nOK\r\n' : '');
              const reading = (readReply(profile, spec.command, through(profile, wire)) as Record<string, unknown>)[key];
              // Console lines never reach a host whose AT port is not the console.
              const unseen = decl.kind === 'word' && decl.console === true && !profile.layout.consoleOnAtPort;
              const expected = unseen ? undefined : decl.kind === 'many' || decl.kind === 'text' ? [value] : value;
              expect(reading).toEqual(expected);
            }),
            { numRuns: 60 },
          );
        });
      }
    }
  }
});
