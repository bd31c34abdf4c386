/**
 * A host port between the driver and an in-process emulator that damages chosen module output on
 * purpose — one exact message, once — where the seeded serial faults hit bytes at random: a lost
 * `<id>,CLOSED` (E16), a lost `ready` (E9), a garbled `+CIPRECVDATA` header. Each rule rewrites
 * the first match of `find` in a chunk of module output (latin1) with `replace`.
 */
import type { EmulatorHostPort } from '../../src/host-port/emu-port.js';
import type { HostPort } from '../../src/host-port/types.js';

export interface TamperRule {
  readonly find: RegExp;
  readonly replace: string;
  /** How many chunks to damage (default 1). */
  times?: number;
  /** Only once this returns true (e.g. after the test armed it). */
  readonly when?: () => boolean;
}

export interface TamperPort extends HostPort {
  readonly inner: EmulatorHostPort;
  /** Damages the next chunk(s) matching `rule`; resolves with how many chunks it damaged so far. */
  tamper(rule: TamperRule): { readonly hits: () => number };
}

export function tamperPort(inner: EmulatorHostPort): TamperPort {
  const rules: { rule: TamperRule; hits: number }[] = [];
  let listener: ((bytes: Uint8Array) => void) | null = null;
  inner.onData((bytes) => {
    let text = Buffer.from(bytes).toString('latin1');
    for (const entry of rules) {
      const left = (entry.rule.times ?? 1) - entry.hits;
      if (left <= 0 || (entry.rule.when && !entry.rule.when()) || !entry.rule.find.test(text)) continue;
      text = text.replace(entry.rule.find, entry.rule.replace);
      entry.hits += 1;
    }
    listener?.(Buffer.from(text, 'latin1'));
  });
  return {
    inner,
    path: inner.path,
    write: (bytes) => inner.write(bytes),
    onData: (l) => {
      listener = l;
    },
    onClose: (l) => inner.onClose(l),
    close: () => inner.close(),
    tamper(rule) {
      const entry = { rule, hits: 0 };
      rules.push(entry);
      return { hits: () => entry.hits };
    },
  };
}
