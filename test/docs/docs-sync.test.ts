import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandTableMarkdown } from '../../cli/commands/commands.js';

describe('docs stay in step with the code', () => {
  it('docs/emulator.md embeds the current command table (regenerate with `npx copro commands --markdown`)', () => {
    const doc = readFileSync('docs/emulator.md', 'utf8');
    const start = doc.indexOf('<!-- command-table:start -->\n');
    const end = doc.indexOf('<!-- command-table:end -->');
    expect(start).toBeGreaterThan(0);
    expect(doc.slice(start + '<!-- command-table:start -->\n'.length, end)).toBe(commandTableMarkdown());
  });

  it('the README quick start is the two commands and names the default access point', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    expect(readme).toContain('copro-lab');
    expect(readme).toContain('labpass123');
  });
});
