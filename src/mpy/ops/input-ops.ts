/**
 * input(): a line of copro mpy's standard input, read only when a script asks (so a script that
 * never calls input() leaves stdin alone). In the REPL the keyboard belongs to the REPL itself.
 */
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { OpTable } from './types.js';

export function inputOps(stdin: NodeJS.ReadableStream | null, stdout: Writable): OpTable {
  let lines: Interface | null = null;
  const waiting: ((line: string | null) => void)[] = [];
  const buffered: string[] = [];
  let ended = false;
  const open = (input: NodeJS.ReadableStream): Interface => {
    const reader = createInterface({ input, crlfDelay: Infinity, terminal: false });
    reader.on('line', (line) => {
      const next = waiting.shift();
      if (next) next(line);
      else buffered.push(line);
    });
    reader.on('close', () => {
      ended = true;
      for (const next of waiting.splice(0)) next(null);
    });
    return reader;
  };
  return {
    input: async ([prompt]) => {
      if (!stdin) throw new Error('input() reads copro mpy\'s standard input, which the REPL uses itself');
      stdout.write(String(prompt));
      lines ??= open(stdin);
      if (buffered.length > 0) return { value: buffered.shift() };
      if (ended) return { value: null };
      return { value: await new Promise<string | null>((resolve) => waiting.push(resolve)) };
    },
  };
}
