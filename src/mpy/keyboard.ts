/**
 * The keyboard while a script runs. Script: Ctrl-C (SIGINT) raises KeyboardInterrupt in the
 * script; a second one while the first still waits to be delivered (the script is computing and
 * makes no call where it could be raised) stops it. REPL: keys go to MicroPython's REPL, raw from
 * a terminal (piped lines too, their LF taken as Enter); a Ctrl-C typed while a line is running
 * interrupts that line instead.
 */
import type { ScriptThread } from './script-thread.js';

const CTRL_C = 0x03;
const LF = 0x0a;
const CR = 0x0d;

/** Returns the function that stops listening. */
export function interruptOnSignal(thread: ScriptThread, forceStop: () => void): () => void {
  const onSignal = (): void => {
    if (!thread.interrupt()) forceStop();
  };
  process.on('SIGINT', onSignal);
  return () => process.off('SIGINT', onSignal);
}

export interface ReplKeyboard {
  /** The REPL consumed the keys sent so far. */
  consumed(): void;
  stop(): void;
}

export function feedRepl(thread: ScriptThread, input: NodeJS.ReadStream): ReplKeyboard {
  let unconsumed = 0;
  const raw = input.isTTY === true;
  if (raw) input.setRawMode(true);
  const onData = (chunk: Buffer): void => {
    let keys: Uint8Array = chunk;
    if (unconsumed > 0 && chunk.includes(CTRL_C)) {
      thread.interrupt();
      keys = chunk.filter((key) => key !== CTRL_C);
    }
    if (keys.length === 0) return;
    // The REPL runs a line on Enter, which a terminal sends as CR; piped text ends lines with LF.
    if (!raw) keys = keys.map((key) => (key === LF ? CR : key));
    unconsumed++;
    thread.sendKeys(Uint8Array.from(keys));
  };
  const onEnd = (): void => thread.sendKeys(null);
  input.on('data', onData);
  input.once('end', onEnd);
  return {
    consumed: () => {
      unconsumed = Math.max(0, unconsumed - 1);
    },
    stop: () => {
      input.off('data', onData);
      input.off('end', onEnd);
      if (raw) input.setRawMode(false);
      input.pause();
    },
  };
}
