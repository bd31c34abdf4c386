/**
 * Who waits on a link or server of any back end (src/backend.ts `Readiness`): the listeners to
 * call when readiness may have changed, and an optional hook told when waiting starts and stops
 * (the back end polls the module while anyone waits).
 */
export class ChangeListeners {
  private readonly listeners = new Set<() => void>();

  constructor(
    /** +1 when a listener is added, −1 when it is removed. */
    private readonly waiting?: (delta: number) => void,
  ) {}

  /** Readiness.onChange: adds `listener`; returns its unsubscribe function. */
  add(listener: () => void): () => void {
    this.listeners.add(listener);
    this.waiting?.(1);
    return () => {
      if (this.listeners.delete(listener)) this.waiting?.(-1);
    };
  }

  /** Readiness may have changed: every listener is called. */
  fire(): void {
    for (const listener of [...this.listeners]) listener();
  }

  get size(): number {
    return this.listeners.size;
  }
}
