/**
 * The one explicit poll step of a wait. A back end's readable() and acceptable() are pure reads;
 * a waiter that finds nothing ready says so with refresh(), and a back end that is not told
 * everything (ESP-AT's lost notices, NINA announcing nothing) asks the module soon.
 */
import type { BackendLink, BackendServer } from '../backend.js';

/** Whether `link` can be read now; when not, its back end is asked to look. */
export function readableOrRefresh(link: BackendLink): boolean {
  if (link.readable()) return true;
  link.refresh?.();
  return false;
}

/** Whether a client waits on `server` now; when not, its back end is asked to look. */
export function acceptableOrRefresh(server: BackendServer): boolean {
  if (server.acceptable()) return true;
  server.refresh?.();
  return false;
}
