/** `promise`, or a rejection naming what was awaited after `timeoutMs`; leaves no timer behind. */
export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts bytes as they come; `reached` resolves once `target` have. */
export function countdown(target: number): { add(n: number): void; readonly reached: Promise<void> } {
  let total = 0;
  let done: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (done = resolve));
  if (target <= 0) done();
  return {
    add(n) {
      total += n;
      if (total >= target) done();
    },
    reached,
  };
}
