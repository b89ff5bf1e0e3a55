import { describe, expect, it } from 'vitest';
import { isValidRefName } from '../../../../../tests/support/github-fake/model/git.js';
import { decodeOwnerId, encodeOwnerId, LedgerRefs } from './ledger-refs.js';

const ids = [
  'ws1/codex',
  'ws1.corp.example/claude',
  'a..b/c.lock',
  'x:y~z^w?*[\\]',
  'at@{1}',
  'with space/and\ttab',
  '_under_score_',
  '%2F-looks-encoded',
  'ünïcödé/😀',
  '-',
  '.hidden',
];

describe('ledger ref names', () => {
  it.each(ids)('encode %j into a valid ref component, reversibly', (id) => {
    const refs = new LedgerRefs();
    const ref = refs.owner(id);
    expect(isValidRefName(ref)).toBe(true);
    expect(ref.split('/')).toHaveLength(4);
    expect(ref).toMatch(/^refs\/codex-monitor\/owners\/[A-Za-z0-9_-]+$/);
    expect(refs.parse(ref)).toEqual({ kind: 'owner', ownerId: id });
  });

  it('keep distinct ids distinct', () => {
    const encoded = new Set(ids.map(encodeOwnerId));
    expect(encoded.size).toBe(ids.length);
    expect(encodeOwnerId('ws1/codex')).toBe('ws1_2Fcodex');
  });

  it('reject empty ids and components that are not canonical encodings', () => {
    expect(() => encodeOwnerId('')).toThrow(/empty/);
    expect(decodeOwnerId('a_2f')).toBeNull(); // lower-case escape
    expect(decodeOwnerId('a_41')).toBeNull(); // an escaped plain character
    expect(decodeOwnerId('a.b')).toBeNull();
    expect(decodeOwnerId('_FF')).toBeNull(); // invalid UTF-8
  });

  it('name task refs and ignore anything else under the namespace', () => {
    const refs = new LedgerRefs('codex-monitor');
    expect(refs.task(12)).toBe('refs/codex-monitor/tasks/12');
    expect(refs.parse('refs/codex-monitor/tasks/12')).toEqual({ kind: 'task', issue: 12 });
    expect(refs.parse('refs/codex-monitor/tasks/012')).toBeNull();
    expect(refs.parse('refs/codex-monitor/tasks/abc')).toBeNull();
    expect(refs.parse('refs/codex-monitor/tasks/1/x')).toBeNull();
    expect(refs.parse('refs/other/tasks/1')).toBeNull();
    expect(refs.parse('refs/codex-monitor/notes/1')).toBeNull();
    // Review chains (one per pull request) are the ledger's too: listed, never a problem.
    expect(refs.review(7)).toBe('refs/codex-monitor/reviews/7');
    expect(refs.parse('refs/codex-monitor/reviews/7')).toEqual({ kind: 'review', pr: 7 });
    expect(refs.parse('refs/codex-monitor/reviews/07')).toBeNull();
    expect(() => refs.review(0)).toThrow(/invalid/);
    expect(() => refs.task(0)).toThrow(/invalid/);
    expect(() => new LedgerRefs('bad/ns')).toThrow(/namespace/);
    expect(new LedgerRefs('cm-test').prefix).toBe('cm-test/');
  });
});
