import { StackError } from '../../network/types.js';
import type { ModuleCore } from '../module-core.js';

/** A failed network operation as the firmware answers it (1.7 prints a word before ERROR). */
export function answerStackError(core: ModuleCore, error: unknown, what: string): void {
  const code = error instanceof StackError ? error.code : 'io';
  core.tracer.note(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  if (code === 'no-ip') return core.error('exec-failed', 'noIp');
  if (code === 'dns') return core.error('exec-failed', 'dnsFail');
  core.error('exec-failed');
}
