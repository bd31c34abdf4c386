import type { ProfileId } from './profile.js';
import { PROFILES, PROFILE_IDS } from './profiles.js';

/**
 * Which known profile a module's AT+GMR answer looks like, from its `AT version:<major>.<minor>…`
 * line compared with each profile's own GMR lines: the profile whose version is nearest (the
 * same major.minor, else the same major, else the closest release: a 4.x firmware speaks the 2.x
 * wire forms). Null when no line says a version. Used to label transcripts and to pick the
 * profile `copro verify` emulates; nothing here changes how any byte is read.
 */
export function guessProfileFromGmr(lines: readonly string[]): ProfileId | null {
  const seen = lines.map(atVersionOf).find((version) => version !== null);
  if (!seen) return null;
  const known = PROFILE_IDS.map((id) => ({ id, version: PROFILES[id].gmrLines.map(atVersionOf).find((v) => v !== null) ?? null }));
  const rank = (v: { major: number; minor: number }): number => v.major * 1000 + v.minor;
  let best: { id: ProfileId; distance: number } | null = null;
  for (const { id, version } of known) {
    if (!version) continue;
    const distance = Math.abs(rank(version) - rank(seen)) + (version.major === seen.major ? 0 : 1_000_000);
    if (!best || distance < best.distance) best = { id, distance };
  }
  return best?.id ?? null;
}

/** True when `line` is the first line of an AT+GMR answer (`AT version:…`). */
export function isGmrVersionLine(line: string): boolean {
  return atVersionOf(line) !== null;
}

function atVersionOf(line: string): { major: number; minor: number } | null {
  const match = /^AT version:\s*(\d+)\.(\d+)/.exec(line);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : null;
}
