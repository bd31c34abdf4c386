/**
 * For each firmware profile, the commands its documentation lists that copro does not emulate, and
 * why (firmware-protocol/at/documented.ts). docs/emulator.md embeds this text; a test keeps the two equal.
 */
import { documentedCoverage, type DocumentedCommand } from '../../firmware-protocol/at/documented.js';
import { PROFILE_IDS, findProfile } from '../../firmware-protocol/at/profiles.js';
import type { DocPage } from '../../firmware-protocol/at/profile.js';

const PAGE_TITLES: Readonly<Record<DocPage, string>> = {
  basic: 'Basic',
  wifi: 'Wi-Fi',
  tcpip: 'TCP/IP',
  mqtt: 'MQTT',
  http: 'HTTP',
  fs: 'FS',
  websocket: 'WebSocket',
  ble: 'Bluetooth LE',
  bt: 'classic Bluetooth',
  ethernet: 'Ethernet',
  driver: 'driver (ADC, PWM, I2C, SPI)',
  signaling: 'signaling test',
  webserver: 'web server',
  user: 'user-defined',
};

function names(commands: readonly DocumentedCommand[]): string {
  return commands.map((c) => `\`${c.name.startsWith('AT') ? c.name : `AT+${c.name}`}\``).join(', ');
}

function byPage(commands: readonly DocumentedCommand[]): string {
  const pages = [...new Set(commands.map((c) => c.page))];
  return pages.map((page) => `${PAGE_TITLES[page]} (${commands.filter((c) => c.page === page).length})`).join(', ');
}

export function coverageMarkdown(): string {
  const out: string[] = [];
  for (const id of PROFILE_IDS) {
    const profile = findProfile(id);
    if (!profile) continue;
    const coverage = documentedCoverage(profile);
    if (coverage === null) {
      out.push(`- \`${id}\`: no documented-command list; the table above is what is emulated.`);
      continue;
    }
    const total = coverage.emulated.length + coverage.builtWithout.length + coverage.otherChip.length + coverage.notYet.length;
    out.push(`- \`${id}\` (${coverage.source}): ${total} commands documented, ${coverage.emulated.length} emulated.`);
    if (coverage.notYet.length > 0) {
      out.push(`  Not emulated yet (answered \`ERROR\` as an unknown command): ${names(coverage.notYet)}.`);
    }
    if (coverage.otherChip.length > 0) {
      out.push(`  For another chip, not in this firmware (answered \`ERROR\` as an unknown command, as the module does): ${names(coverage.otherChip)}.`);
    }
    if (coverage.builtWithout.length > 0) {
      out.push(`  Built without (answered as a module built without them): ${byPage(coverage.builtWithout)}.`);
    }
  }
  return `${out.join('\n')}\n`;
}
