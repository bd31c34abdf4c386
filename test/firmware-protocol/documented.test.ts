/**
 * The profiles' documented-command lists (profiles/documented/, read off Espressif's docs) against the
 * command table: the table answers nothing a firmware version does not have, and docs/emulator.md
 * says, per profile, which documented commands are not emulated and why.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coverageMarkdown } from '../../cli/commands/coverage-markdown.js';
import { commandsOf } from '../../firmware-protocol/at/command-table.js';
import { BUILT_WITHOUT, documentedCoverage } from '../../firmware-protocol/at/documented.js';
import { PROFILE_LIST } from '../../firmware-protocol/at/profiles.js';

describe("each profile's documented commands", () => {
  it('every command a profile answers is documented for that release, or seen registered by its firmware', () => {
    for (const profile of PROFILE_LIST) {
      const documented = profile.documented;
      if (documented === undefined) continue;
      const names = new Set([...Object.values(documented.pages).flat(), ...Object.keys(documented.alsoRegistered ?? {})]);
      if (names.has('ATE')) names.add('ATE0').add('ATE1');
      const specs = commandsOf(profile);
      // A declaration counts as documented under any of its names (AT+UART_CUR documents the UART declaration).
      const documentedDeclarations = new Set(specs.filter((spec) => names.has(spec.name)).map((spec) => spec.command));
      const strays = specs.filter((spec) => !documentedDeclarations.has(spec.command)).map((spec) => spec.name);
      expect({ profile: profile.id, strays }).toEqual({ profile: profile.id, strays: [] });
    }
  });

  it('sorts every documented command into emulated, built without, or not emulated yet', () => {
    const profile = PROFILE_LIST.find((p) => p.documented !== undefined);
    const coverage = profile ? documentedCoverage(profile) : null;
    expect(coverage).not.toBeNull();
    if (!coverage || !profile?.documented) return;
    const total = Object.values(profile.documented.pages).reduce((sum, names) => sum + names.length, 0);
    expect(coverage.emulated.length + coverage.builtWithout.length + coverage.otherChip.length + coverage.notYet.length).toBe(total);
    for (const entry of coverage.builtWithout) expect(BUILT_WITHOUT).toContain(entry.page);
    for (const entry of coverage.notYet) expect(BUILT_WITHOUT).not.toContain(entry.page);
    expect(coverage.emulated.map((c) => c.name)).toEqual(expect.arrayContaining(['AT', 'ATE', 'CWJAP', 'CIPSTART', 'MQTTCONN', 'HTTPCLIENT']));
  });

  it("keeps another chip's commands out of the profile's table (the firmware answers them as unknown)", () => {
    for (const profile of PROFILE_LIST) {
      const coverage = documentedCoverage(profile);
      if (!coverage) continue;
      for (const entry of coverage.otherChip) expect(commandsOf(profile).map((s) => s.name)).not.toContain(entry.name);
    }
    const esp8266 = PROFILE_LIST.find((p) => p.id === 'esp8266-rtos-at-2.2');
    expect(esp8266 && documentedCoverage(esp8266)?.otherChip.map((c) => c.name)).toEqual(['SYSTEMP']);
  });

  it('docs/emulator.md embeds the coverage of every profile (regenerate with `npx copro commands --coverage`)', () => {
    const doc = readFileSync('docs/emulator.md', 'utf8');
    const start = '<!-- command-coverage:start -->\n';
    const from = doc.indexOf(start);
    const to = doc.indexOf('<!-- command-coverage:end -->');
    expect(from).toBeGreaterThan(0);
    expect(doc.slice(from + start.length, to)).toBe(coverageMarkdown());
  });
});
