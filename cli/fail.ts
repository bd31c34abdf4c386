/** One line on stderr for any error, then exit non-zero: users of a CLI want a reason, not a stack. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

/** What a failed command prints on stderr. */
export function failureLine(err: unknown): string {
  return `copro: ${describeError(err)}\n`;
}

export function reportAndExit(err: unknown, exitCode = 1): never {
  process.stderr.write(failureLine(err));
  process.exit(exitCode);
}
