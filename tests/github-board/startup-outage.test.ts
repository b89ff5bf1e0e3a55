import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { readMarkers, startCli, waitFor } from '../support/daemons.js';
import { githubEnv, logLines, ownerIssues, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { closedPort } from '../support/ports.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

/** githubEnv for a fake that is not running yet: only its URL is needed. */
const envFor = (url: string, markers: string, extra: Record<string, string> = {}) =>
  githubEnv({ url } as FakeGitHub, join(tempDir(), 'state'), markers, extra);

describe('GitHub unreachable at start-up', () => {
  it('the daemon waits with backoff, saying so, and runs once GitHub answers', async () => {
    const port = await closedPort();
    const markers = join(tempDir(), 'markers.jsonl');
    const daemon = startCli(
      ['run', '--until-idle', '--owner', 'ws1/codex'],
      envFor(`http://127.0.0.1:${port}`, markers),
    );
    try {
      const retry = await waitFor(
        () => logLines(daemon).find((l) => String(l.msg).includes('trying again in')),
        60_000,
        'a start-up retry to be logged',
      );
      expect(retry).toMatchObject({ level: 40, attempt: 1, nextWaitMs: expect.any(Number) });
      expect(retry.msg).toMatch(
        /could not be reached at http:\/\/127\.0\.0\.1:\d+ .*ECONNREFUSED: connection refused/,
      );
      expect(daemon.output()).not.toMatch(/answered 500/);
      expect(daemon.child.exitCode).toBeNull(); // still there, not a crash loop

      const fake = await startFakeGitHub({ port });
      fakes.push(fake);
      seedIssues(fake, ownerIssues(1));
      expect(await daemon.exited, daemon.output().slice(-3000)).toBe(0);
      expect(
        readMarkers(markers)
          .filter((m) => m.phase === 'end')
          .map((m) => m.task),
      ).toHaveLength(1);
      expect(fake.state.issue('acme/widgets', 1)!.labels).toContain('codex:done');
    } finally {
      daemon.child.kill('SIGKILL');
    }
  });

  it('exits at once, without retrying, on what a retry cannot fix (a bad token)', async () => {
    const fake = await startFakeGitHub({ tokens: [{ token: 'test-token' }] });
    fakes.push(fake);
    seedIssues(fake, ownerIssues(1));
    const result = await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], {
      env: envFor(fake.url, join(tempDir(), 'm.jsonl'), { GITHUB_TOKEN: 'nope' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/answered 401.*Check that the configured token is valid/);
    expect(result.stderr).not.toMatch(/trying again in/);
  });
});
