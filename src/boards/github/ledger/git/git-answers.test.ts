import { describe, expect, it } from 'vitest';
import { parseBatch } from './commit-objects.js';
import { leasePushArgs, readPushAnswer } from './lease-push.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function object(sha: string, type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${sha} ${type} ${body.length}\n`), body, Buffer.from('\n')]);
}

describe('git cat-file --batch answers', () => {
  it('are read by byte counts: a message with invalid UTF-8 and fake headers cannot shift the next answer', () => {
    const hostile = Buffer.concat([
      Buffer.from(`tree ${B}\nparent ${B}\nauthor x\n\nsubject\n\n`),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from(`${B} commit 10\nparent ${A}\n`),
    ]);
    const second = Buffer.from(`tree ${A}\nparent ${A}\n\ncodex-monitor: claim\n\n{"v":1}\n`);
    const out = Buffer.concat([
      object(A, 'commit', hostile),
      object(B, 'commit', second),
      Buffer.from(`${'c'.repeat(40)} missing\n`),
    ]);
    const [first, next, missing] = parseBatch(out);
    expect(first).toMatchObject({ sha: A, type: 'commit', commit: { parents: [B] } });
    expect(first!.commit!.message.startsWith('subject\n\n')).toBe(true);
    expect(next).toMatchObject({
      sha: B,
      commit: { parents: [A], message: 'codex-monitor: claim\n\n{"v":1}\n' },
    });
    expect(missing).toEqual({ sha: 'c'.repeat(40), type: 'missing' });
  });

  it('name non-commits by their type, and a cut-short answer is an error, not a guess', () => {
    expect(parseBatch(object(A, 'blob', Buffer.from('hello')))).toEqual([{ sha: A, type: 'blob' }]);
    expect(() => parseBatch(Buffer.from(`${A} commit 99\nshort`))).toThrow(/cut short/);
  });
});

describe('git push --porcelain answers', () => {
  const ref = 'refs/codex-monitor/tasks/12';
  it('tell applied, refused and lost apart by the flag of our ref’s line', () => {
    expect(readPushAnswer(`To x\n*\t${A}:${ref}\t[new reference]\nDone\n`, ref)).toEqual({
      verdict: 'applied',
      summary: '[new reference]',
    });
    expect(readPushAnswer(`To x\n+\t${A}:${ref}\t${B}...${A} (forced update)\nDone\n`, ref)?.verdict).toBe(
      'applied',
    );
    expect(readPushAnswer(`To x\n=\t${A}:${ref}\t[up to date]\nDone\n`, ref)?.verdict).toBe('applied');
    expect(readPushAnswer(`To x\n!\t${A}:${ref}\t[rejected] (stale info)\nDone\n`, ref)).toEqual({
      verdict: 'refused',
      summary: '[rejected] (stale info)',
    });
    // Another ref's line, or none at all: no answer for ours (the push's answer was lost).
    expect(readPushAnswer(`To x\n*\t${A}:${ref}0\t[new reference]\nDone\n`, ref)).toBeNull();
    expect(readPushAnswer('Done\n', ref)).toBeNull();
  });

  it('are asked by a lease on exactly our ref, never a forcing `+`', () => {
    const args = leasePushArgs('origin', ref, A, null);
    expect(args).toContain(`--force-with-lease=${ref}:`);
    expect(args.at(-1)).toBe(`${A}:${ref}`);
    expect(args.some((a) => a.startsWith('+'))).toBe(false);
    expect(leasePushArgs('origin', ref, '', B)).toContain(`--force-with-lease=${ref}:${B}`);
  });
});
