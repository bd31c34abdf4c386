import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NINA_HANDLERS, ninaCommandsMarkdown } from '../../emulator/nina/index.js';
import { findNinaCommand } from '../../firmware-protocol/nina/index.js';

describe('NINA docs and handler table', () => {
  it('docs/spi.md embeds the current supported-commands table', () => {
    const doc = readFileSync('docs/spi.md', 'utf8');
    const start = '<!-- nina-command-table:start -->\n';
    const from = doc.indexOf(start);
    const to = doc.indexOf('<!-- nina-command-table:end -->');
    expect(from).toBeGreaterThan(0);
    expect(doc.slice(from + start.length, to)).toBe(`${ninaCommandsMarkdown()}\n`);
  });

  it('emulates only commands nina-fw 2.0.0 has, including everything the issue asks for', () => {
    for (const code of NINA_HANDLERS.keys()) expect(findNinaCommand(code)?.inFirmware).toBe(true);
    const emulated = [...NINA_HANDLERS.entries()].filter(([, e]) => e.support === 'emulated').map(([c]) => findNinaCommand(c)!.name);
    expect(emulated).toEqual(
      expect.arrayContaining([
        'SET_NET', 'SET_PASSPHRASE', 'GET_CONN_STATUS', 'GET_IPADDR', 'GET_MACADDR', 'GET_CURR_RSSI', 'GET_CURR_SSID',
        'GET_CURR_BSSID', 'SCAN_NETWORKS', 'GET_IDX_RSSI', 'REQ_HOST_BY_NAME', 'GET_HOST_BY_NAME', 'GET_SOCKET',
        'START_CLIENT_TCP', 'STOP_CLIENT_TCP', 'START_SERVER_TCP', 'GET_STATE_TCP', 'GET_CLIENT_STATE_TCP',
        'AVAIL_DATA_TCP', 'GET_DATABUF_TCP', 'SEND_DATA_TCP', 'INSERT_DATABUF', 'SEND_UDP_DATA', 'GET_REMOTE_DATA',
        'GET_FW_VERSION',
      ]),
    );
  });
});
