/**
 * network.WLAN from MicroPython scripts, in the ESP32 port's form (connect returns at once and
 * isconnected()/status() follow the module while the script sleeps) and the WiPy's (WLAN(mode=),
 * connect(auth=, timeout=) that waits, namedtuple scan results).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli-process.js';
import { endLabTest, startLab } from './mpy-lab.js';

describe('copro mpy network.WLAN', () => {
  beforeAll(requireBuiltCli);
  afterEach(endLabTest);

  it('joins, scans, reports ifconfig, and tells a wrong key, ESP32 style', async () => {
    const lab = await startLab('emu');
    const script = lab.write(
      'esp32_wlan.py',
      `import network, time
wlan = network.WLAN(network.STA_IF)
print('essid_at_start', wlan.config('essid'))
wlan.disconnect()
print('after_disconnect', wlan.isconnected(), wlan.status() == network.STAT_IDLE)
wlan.connect('copro-lab', 'not-the-key')
print('returns_at_once', wlan.status() == network.STAT_CONNECTING)
while wlan.status() == network.STAT_CONNECTING:
    time.sleep_ms(10)
print('wrong_key', wlan.status() == network.STAT_WRONG_PASSWORD, wlan.isconnected())
wlan.active(True)
wlan.connect('copro-lab', 'labpass123')
while not wlan.isconnected():
    time.sleep_ms(10)
print('joined', wlan.status() == network.STAT_GOT_IP)
print('ifconfig', wlan.ifconfig())
ssid, bssid, channel, rssi, security, hidden = wlan.scan()[0]
print('scan', ssid, len(bssid), channel, rssi, security == network.AUTH_WPA2_PSK, hidden)
print('bssid', ':'.join('%02x' % b for b in bssid))
ap = network.WLAN(network.AP_IF)
print('ap', ap.active(), ap.isconnected())
ap.active(True)
ap.config(essid='mpy-ap', key='mpykey1234', channel=11)
print('ap_up', ap.active(), ap.config('essid'), ap.config('channel'), ap.config('security') == network.AUTH_WPA2_PSK)
print('ap_ifconfig', ap.ifconfig(), ap.status('stations'))
`,
    );
    const report = await lab.report([script]);
    expect(report.essid_at_start).toBe('copro-lab');
    expect(report.after_disconnect).toBe('False True');
    expect(report.returns_at_once).toBe('True');
    expect(report.wrong_key).toBe('True False');
    expect(report.joined).toBe('True');
    // The lease's DNS server (the AP's gateway), as AT+CIPDNS? reports it after a join (i13-tcpfix).
    expect(report.ifconfig).toBe("('192.168.10.42', '255.255.255.0', '192.168.10.1', '192.168.10.1')");
    expect(report.scan).toBe("b'copro-lab' 6 6 -45 True False");
    expect(report.bssid).toBe('ca:d7:19:d8:a6:44');
    expect(report.ap).toBe('False False');
    expect(report.ap_up).toBe('True mpy-ap 11 True');
    expect(report.ap_ifconfig).toBe("('192.168.4.1', '255.255.255.0', '192.168.4.1', '192.168.4.1') []");
  }, 90_000);

  it("connects the WiPy's way: WLAN(mode=WLAN.STA), auth=(WLAN.WPA2, key), timeout=", async () => {
    const lab = await startLab('emu');
    const script = lab.write(
      'wipy_wlan.py',
      `from network import WLAN
import errno
wlan = WLAN(mode=WLAN.STA)
wlan.disconnect()
nets = wlan.scan()
print('scan', [(n.ssid, n.sec, n.rssi) for n in nets])
for net in nets:
    if net.ssid == 'copro-lab':
        wlan.connect(net.ssid, auth=(WLAN.WPA2, 'labpass123'), timeout=5000)
print('connected', wlan.isconnected(), wlan.mode() == WLAN.STA)
print('ifconfig', wlan.ifconfig(config='dhcp'), wlan.ifconfig()[0])
try:
    wlan.connect('copro-lab', auth=(WLAN.WPA2, 'wrong-key'), timeout=5000)
except OSError as e:
    print('wrong_key', errno.errorcode[e.args[0]])
`,
    );
    const report = await lab.report([script]);
    expect(report.scan).toBe("[('copro-lab', 2, -45)]");
    expect(report.connected).toBe('True True');
    expect(report.ifconfig).toBe('None 192.168.10.42');
    expect(report.wrong_key).toBe('ETIMEDOUT');
  }, 90_000);

  it("reads the module's MAC as six bytes and sets its host name (config)", async () => {
    const lab = await startLab('emu');
    const script = lab.write(
      'wlan_config.py',
      `import network
wlan = network.WLAN(network.STA_IF)
mac = wlan.config('mac')
print('mac', type(mac).__name__, ':'.join('%02x' % b for b in mac))
print('hostname', wlan.config('hostname'))
wlan.config(hostname='sensor-7')
print('renamed', wlan.config('hostname'), wlan.config('dhcp_hostname'))
try:
    wlan.config(txpower=10)
except OSError as e:
    print('txpower', e.args[0])
`,
    );
    const report = await lab.report([script]);
    expect(report.mac).toBe('bytes 24:0a:c4:c0:90:01');
    expect(report.hostname).toBe('espressif');
    expect(report.renamed).toBe('sensor-7 sensor-7');
    expect(report.txpower).toBe('95');
  }, 90_000);
});
