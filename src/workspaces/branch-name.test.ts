import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BranchPrefixError, branchFor, normalizePrefix, slugify } from './branch-name.js';

/** git's own verdict: the name git would accept for a new branch, or null. */
function gitAccepts(name: string): boolean {
  try {
    return execFileSync('git', ['check-ref-format', '--branch', name], { encoding: 'utf8' }).trim() === name;
  } catch {
    return false;
  }
}

const HOSTILE_TITLES = [
  '',
  '   ',
  'Fix login timeout',
  'Ünïcödé — ça marche? 日本語のタイトル',
  '日本語のみ',
  '🔥🔥🔥',
  '..',
  '../../etc/passwd',
  'a..b',
  '@{-1}',
  '@',
  'branch.lock',
  'x.lock',
  '-rf --force',
  '--upload-pack=touch /tmp/pwned',
  'line\nbreak\ttab\u0000nul\u007fdel\u001b[31mred',
  'trailing.',
  'trailing/',
  '/leading/slash',
  'back\\slash',
  'a:b?c*d[e]^f~g',
  'refs/heads/main',
  'HEAD',
  `${'very long title '.repeat(20)}`,
  '$(rm -rf /)',
  '`id`',
  '#12 fix: "quotes" and \'apostrophes\'',
  '\u202eevil-bidi',
  'ＦＵＬＬ ＷＩＤＴＨ',
];

describe('branchFor', () => {
  it('names an issue’s branch from its number and a slug of its title', () => {
    expect(branchFor('codex/', 12, 'Fix login timeout')).toBe('codex/12-fix-login-timeout');
    expect(branchFor('codex', 12, 'Fix login timeout')).toBe('codex/12-fix-login-timeout');
    expect(branchFor('bots/codex/', 7, 'Crème brûlée: «ready»?')).toBe('bots/codex/7-creme-brulee-ready');
    expect(branchFor('codex/', 12, '日本語のみ')).toBe('codex/12');
    expect(branchFor('', 3, 'x')).toBe('3-x');
  });

  it('makes a name git accepts from every hostile title, bounded in length', () => {
    for (const title of HOSTILE_TITLES) {
      for (const issue of [12, 'task-a', 'build/x:y@{1}', '..', '-', '', 'foo.lock', 'Ünï']) {
        const name = branchFor('codex/', issue, title);
        expect(gitAccepts(name), `${JSON.stringify(issue)} ${JSON.stringify(title)} → ${name}`).toBe(true);
        expect(name).toMatch(/^codex\/[A-Za-z0-9][A-Za-z0-9._-]*$/);
        expect(name.length).toBeLessThanOrEqual('codex/'.length + 60 + 9 + 1 + 40);
      }
    }
  });

  it('bounds the slug at a word boundary', () => {
    const slug = slugify('very long title '.repeat(20));
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug).toMatch(/^very-long-title(-very-long-title)*(-very|-very-long)?$/);
  });

  it('keeps local task ids apart when sanitising makes them alike', () => {
    const a = branchFor('codex/', 'build/a', 'x');
    const b = branchFor('codex/', 'build-a', 'x');
    expect(b).toBe('codex/build-a-x');
    expect(a).toMatch(/^codex\/build-a-[0-9a-f]{8}-x$/);
    expect(a).not.toBe(b);
  });

  it('refuses a prefix git would not accept, naming it', () => {
    for (const bad of ['-x/', 'a..b/', 'refs/', 'x.lock/', 'a b/', 'a//b', '/x', '.hidden/', 'x@{1}', 'ü/']) {
      const error = (() => {
        try {
          normalizePrefix(bad);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error, bad).toBeInstanceOf(BranchPrefixError);
      expect((error as BranchPrefixError).code).toBe('BRANCH_PREFIX_INVALID');
      expect((error as BranchPrefixError).message).toContain(JSON.stringify(bad));
    }
    expect(() => branchFor('x..y', 1, 't')).toThrow(BranchPrefixError);
    expect(() => branchFor('codex/', 0, 't')).toThrow(RangeError);
    for (const good of ['codex', 'codex/', 'team_a/codex-bot/', 'v1.2/x']) {
      expect(gitAccepts(`${normalizePrefix(good)}1-x`)).toBe(true);
    }
  });
});
