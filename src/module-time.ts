/**
 * The module's clock as host code sees it: Unix seconds once SNTP set it, null before. A clock
 * earlier than 2000-01-01 counts as unset, the rule nina-fw's getTime() applies (ESP-AT's clock
 * starts at 1970 on every boot).
 */
export const REAL_TIME_FROM = 946_684_800;

export function realTime(seconds: number): number | null {
  return seconds < REAL_TIME_FROM ? null : seconds;
}
