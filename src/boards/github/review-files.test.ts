import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatReviewPrompt, readReviewVerdict } from './review-files.js';

const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-review-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('the review prompt', () => {
  it('holds the PR, the author’s summary, the issue and where to answer', () => {
    const prompt = formatReviewPrompt({
      pr: { number: 7, title: 'Fix\nlogin', url: 'https://x/pull/7', body: 'I changed a.ts', base: 'main' },
      issue: { number: 3, title: 'Login fails', body: 'It fails.' },
      diffFile: '/state/reviews/7/diff.patch',
      round: 1,
    });
    expect(prompt).toContain('# Pull request #7: Fix login');
    expect(prompt).toContain('The diff against it is in the file /state/reviews/7/diff.patch');
    expect(prompt).toContain('review round 2');
    expect(prompt).toContain('I changed a.ts');
    expect(prompt).toContain('## Issue #3: Login fails\n\nIt fails.');
    expect(prompt).toContain('Write review.json in the directory $CODEX_MONITOR_ARTIFACTS_DIR');
  });
});

describe('the verdict file', () => {
  it('reads approve and request-changes', async () => {
    expect(await readReviewVerdict(file('a.json', '{"verdict":"approve"}'))).toEqual({
      verdict: 'approve',
      body: 'Approved by codex-monitor’s reviewer.',
    });
    expect(
      await readReviewVerdict(file('r.json', '{"verdict":"request-changes","body":" rename x "}')),
    ).toEqual({
      verdict: 'request-changes',
      body: 'rename x',
    });
  });

  it('refuses a missing file, non-JSON, an unknown verdict and a change request without a body', async () => {
    await expect(readReviewVerdict(join(dir, 'none.json'))).rejects.toThrow(
      /wrote no verdict: cannot read .*ENOENT/,
    );
    await expect(readReviewVerdict(file('n.json', 'yes'))).rejects.toThrow(/is not JSON/);
    await expect(readReviewVerdict(file('u.json', '{"verdict":"merge"}'))).rejects.toThrow(
      /"verdict" is "merge" \(a string\); expected "approve" or "request-changes"/,
    );
    await expect(readReviewVerdict(file('b.json', '{"verdict":"request-changes"}'))).rejects.toThrow(
      /needs a "body"/,
    );
  });
});
