/**
 * A command whose failure changes nothing for its caller — a CIPCLOSE or STOP_CLIENT_TCP of a link
 * being let go, restoring a mode on the way out of transparent mode — is run with bestEffort(): its
 * failure goes to the trace instead of vanishing. Not for writes: a failed write fails the command
 * that wrote (src/at/at-client.ts).
 */
import type { TraceSink } from './at/trace.js';

/** `work`'s value, or null when it failed (the failure traced as `what`). */
export async function bestEffort<T>(work: Promise<T>, trace: TraceSink | undefined, what: string): Promise<T | null> {
  try {
    return await work;
  } catch (err) {
    trace?.(`! ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
