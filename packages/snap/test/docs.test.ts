import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXED_NOW } from '#test-kit';
import { differences, fencedBlocks, ROOT } from '../../sdk/test/doc-blocks';
import { SNAP_PROFILES, type SnapProfileName } from '../src';
import { formatTimestamp } from '@kunci/core/provider';
import { PROFILE_NAMES } from './helpers';

const DOC = join(ROOT, 'docs', 'providers', 'snap.md');
const README = join(ROOT, 'packages', 'snap', 'README.md');

describe('docs/providers/snap.md and the README', () => {
  // npm run typecheck compiles them against the workspace sources, from the copies under .doc-blocks/.
  it('every ts block is written, current, under .doc-blocks/ for npm run typecheck', () => {
    const blocks = [...fencedBlocks(DOC), ...fencedBlocks(README)].filter((block) => block.lang === 'ts');
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(differences(blocks)).toEqual([]);
  });

  describe('the profiles table says what SNAP_PROFILES holds', () => {
    const lines = readFileSync(DOC, 'utf8').split('\n');
    const header = lines.find((line) => line.startsWith('| setting | `aspi`'));
    const columns = (header ?? '')
      .split('|')
      .slice(2, -1)
      .map((cell) => cell.trim().replace(/`/g, ''));
    const row = (setting: string): string[] => {
      const line = lines.find((l) => l.startsWith(`| ${setting} |`)) ?? '';
      return line
        .split('|')
        .slice(2, -1)
        .map((cell) => cell.trim().replace(/`/g, '').replace(/ ¹$/, ''));
    };
    const cell = (setting: string, profile: SnapProfileName): string => row(setting)[columns.indexOf(profile)] ?? '';

    it('one column per profile, in the order of SNAP_PROFILES', () => {
      expect(columns).toEqual(PROFILE_NAMES);
    });

    it.each(PROFILE_NAMES)('%s', (name) => {
      const profile = SNAP_PROFILES[name];
      expect(cell('`paths.b2b`', name)).toBe(profile.paths.b2b);
      expect(cell('`paths.b2b2c`', name)).toBe(profile.paths.b2b2c);
      expect(cell('`X-TIMESTAMP`', name)).toBe(formatTimestamp(FIXED_NOW, profile.timestamp));
      expect(cell('`serviceSignature`', name)).toBe(profile.serviceSignature);
      expect(cell('`tokenWithAsymmetric`', name)).toBe(String(profile.tokenWithAsymmetric));
      expect(cell('`signing.minify`', name)).toBe(profile.minify);
      expect(cell('`customerGrantType`', name)).toBe(profile.customerGrantType);
      expect(cell('notifications (inbound)', name).split(' ')[0]).toBe(profile.notification);
    });
  });
});
