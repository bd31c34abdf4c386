import * as fs from 'node:fs';

/** This process's open fds and what they point at (Linux /proc), for leak checks in tests. */
export function openFds(): Map<number, string> {
  const fds = new Map<number, string>();
  for (const name of fs.readdirSync('/proc/self/fd')) {
    try {
      fds.set(Number(name), fs.readlinkSync(`/proc/self/fd/${name}`));
    } catch {
      // the fd readdir itself used, already closed
    }
  }
  return fds;
}

/** Fds pointing at a PTY master or slave (`/dev/ptmx`, `/dev/pts/N`). */
export function openPtyFds(): string[] {
  return [...openFds().values()].filter((target) => target === '/dev/ptmx' || target.startsWith('/dev/pts/'));
}

/** Fds pointing at TCP sockets (`socket:[inode]`). */
export function openSocketCount(): number {
  return [...openFds().values()].filter((target) => target.startsWith('socket:')).length;
}

/** Node's ref'd handles and timers (TTYWrap, TCPServerWrap, Timeout...), sorted, for leak checks. */
export function activeResources(): string[] {
  return [...process.getActiveResourcesInfo()].sort();
}

/** Resources now active beyond those in `before` (a multiset difference): what a test leaked. */
export function resourcesAddedSince(before: readonly string[]): string[] {
  const left = [...before];
  const added: string[] = [];
  for (const resource of activeResources()) {
    const at = left.indexOf(resource);
    if (at >= 0) left.splice(at, 1);
    else added.push(resource);
  }
  return added;
}

/** activeResources() once handles closed by earlier tests have finished closing (they close asynchronously). */
export async function settledResources(): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, 30));
  return activeResources();
}
