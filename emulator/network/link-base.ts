import type { LinkHandlers, StackError, VirtualLink } from './types.js';

export type CloseReason = Parameters<LinkHandlers['onClose']>[0];

/**
 * The part every link shares: handlers may be set after the link exists (a front end allocates its link id
 * first), so an end that happens before then is kept and delivered on setHandlers — onClose exactly once.
 */
export abstract class LinkBase {
  protected handlers: LinkHandlers | null = null;
  private open = true;
  private undelivered: { reason: CloseReason; error: StackError | undefined } | null = null;
  private readonly goneListeners: Array<(link: VirtualLink) => void> = [];

  get isOpen(): boolean {
    return this.open;
  }

  onGone(listener: (link: VirtualLink) => void): void {
    this.goneListeners.push(listener);
  }

  setHandlers(handlers: LinkHandlers): void {
    this.handlers = handlers;
    const ended = this.undelivered;
    if (ended !== null) {
      this.undelivered = null;
      handlers.onClose(ended.reason, ended.error);
    } else if (this.open) {
      this.handlersAttached();
    }
  }

  /** Data may flow now: the link held it back until someone could take it. */
  protected abstract handlersAttached(): void;

  /** Marks the link ended and tells whoever listens; false if it had already ended. */
  protected finish(reason: CloseReason, error?: StackError): boolean {
    if (!this.open) return false;
    this.open = false;
    for (const listener of this.goneListeners.splice(0)) listener(this as unknown as VirtualLink);
    if (this.handlers === null) this.undelivered = { reason, error };
    else this.handlers.onClose(reason, error);
    return true;
  }
}
