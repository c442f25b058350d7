import { snapSettings, type ResolvedSnapSettings, type SnapProfileName } from '../src';

/** A profile's settings, no override. */
export function settingsOf(profile: SnapProfileName): ResolvedSnapSettings {
  return snapSettings({ profile });
}
