import type { AtVersion, FirmwareProfile, VersionRange } from '../profile.js';
import { applyChanges } from './define.js';

/**
 * Which profile a module's AT+GMR answer stands for: the `AT version:<major>.<minor>` line picks the
 * profile whose version range (and chip, if it names one) holds it; a release older than the one a profile emulates gets that
 * profile with the release's changes (a 2.2 firmware takes 2048-byte CIPSENDs). A firmware that
 * does not say its version is taken for the oldest release of the default profile.
 */

export interface Detection {
  readonly profile: FirmwareProfile;
  /** The version text after `AT version:` (`2.4.0.0(...)`), or null. */
  readonly versionText: string | null;
}

const VERSION_LINE = /^AT version:(\d+)\.(\d+)/;

/** True when `line` is the first line of an AT+GMR answer (`AT version:…`). */
export function isGmrVersionLine(line: string): boolean {
  return VERSION_LINE.test(line);
}

function before(a: AtVersion, b: AtVersion): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

function holds(range: VersionRange, version: AtVersion, line: string): boolean {
  if (range.chip !== undefined && !line.includes(` - ${range.chip} - `)) return false;
  return !before(version, range.from) && (range.below === undefined || before(version, range.below));
}

/** The profile as a module of `version` (null: unknown, the oldest release) behaves. */
function asRelease(profile: FirmwareProfile, version: AtVersion | null): FirmwareProfile {
  let result = profile;
  for (const release of profile.earlierReleases) {
    if (version === null || before(version, release.below)) result = applyChanges(result, release.changes);
  }
  return result;
}

export function detectProfile(
  lines: readonly string[],
  profiles: readonly FirmwareProfile[],
  fallback: FirmwareProfile,
): Detection {
  const line = lines.find((text) => VERSION_LINE.test(text));
  const match = line === undefined ? null : VERSION_LINE.exec(line);
  if (line === undefined || match === null) return { profile: asRelease(fallback, null), versionText: null };
  const version: AtVersion = [Number(match[1]), Number(match[2])];
  const candidates = profiles.filter((candidate) => holds(candidate.versions, version, line));
  const profile = candidates.find((candidate) => candidate.versions.chip !== undefined) ?? candidates[0] ?? fallback;
  return { profile: asRelease(profile, version), versionText: line.slice('AT version:'.length) };
}
