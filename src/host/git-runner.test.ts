import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { gitFixture } from '../../tests/workspaces/git-fixture.js';
import { GitError, gitBaseEnv, runGit } from './git-runner.js';
import { isProcessAlive } from './process-liveness.js';

const tempDir = useTempDirs();

/** What git passes to the commands it runs: an alias that is a shell command prints it. */
async function envSeenByGit(cwd: string, env?: Record<string, string>): Promise<Map<string, string>> {
  const { stdout } = await runGit(['-c', 'alias.dumpenv=!env', 'dumpenv'], { cwd, env, timeoutMs: 30_000 });
  return new Map(
    stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('runGit', () => {
  it('returns what git printed', async () => {
    const repo = gitFixture(tempDir());
    const { stdout, exitCode } = await runGit(['rev-parse', '--abbrev-ref', 'HEAD'], {
      cwd: repo.clone,
      timeoutMs: 30_000,
    });
    expect(stdout.trim()).toBe('main');
    expect(exitCode).toBe(0);
  });

  it('gives git a controlled environment: the daemon’s other variables never reach it', async () => {
    const repo = gitFixture(tempDir());
    process.env.CODEX_MONITOR_TEST_SECRET = 'do-not-pass';
    process.env.GIT_DIR = '/somewhere/else'; // would redirect every command to another repository
    try {
      const seen = await envSeenByGit(repo.clone, { GIT_ASKPASS: '/x/askpass' });
      expect(seen.has('CODEX_MONITOR_TEST_SECRET')).toBe(false);
      expect(seen.get('GIT_DIR')).not.toBe('/somewhere/else');
      expect(seen.get('LANG')).toBe('C');
      expect(seen.get('GIT_TERMINAL_PROMPT')).toBe('0');
      expect(seen.get('PATH')?.endsWith(process.env.PATH ?? '-')).toBe(true); // git prepends its exec path
      expect(seen.get('GIT_ASKPASS')).toBe('/x/askpass');
    } finally {
      delete process.env.CODEX_MONITOR_TEST_SECRET;
      delete process.env.GIT_DIR;
    }
  });

  it('gitBaseEnv takes only the listed variables from its source', () => {
    const env = gitBaseEnv({
      PATH: '/bin',
      HOME: '/h',
      SSH_AUTH_SOCK: '/s',
      GITHUB_TOKEN: 't',
      NODE_OPTIONS: 'x',
    });
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/h',
      SSH_AUTH_SOCK: '/s',
      LANG: 'C',
      LC_ALL: 'C',
      GIT_TERMINAL_PROMPT: '0',
    });
  });

  it('passes stdin as data and accepts answers listed in okCodes', async () => {
    const repo = gitFixture(tempDir());
    const hashed = await runGit(['hash-object', '--stdin'], {
      cwd: repo.clone,
      timeoutMs: 30_000,
      input: '$(rm -rf /)\n',
    });
    expect(hashed.stdout.trim()).toMatch(/^[0-9a-f]{40}$/);
    const diff = await runGit(['diff', '--quiet', 'HEAD', '4b825dc642cb6eb9a060e54bf8d69288fbee4904'], {
      cwd: repo.clone,
      timeoutMs: 30_000,
      okCodes: [0, 1],
    });
    expect(diff.exitCode).toBe(1);
  });

  it('fails with a typed error naming the command, the directory, the exit code and git’s words', async () => {
    const repo = gitFixture(tempDir());
    const error = await runGit(['rev-parse', '--verify', 'no-such-branch'], {
      cwd: repo.clone,
      timeoutMs: 30_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    const git = error as GitError;
    expect(git.code).toBe('GIT_FAILED');
    expect(git.exitCode).toBe(128);
    expect(git.subcommand).toBe('rev-parse');
    expect(git.message).toContain(`git rev-parse in ${repo.clone}`);
    expect(git.stderr).toContain('Needed a single revision');
  });

  it('redacts credentials in the URLs git quotes', async () => {
    const error = (await runGit(['ls-remote', 'https://someone:hunter2@127.0.0.1:1/acme/widgets.git'], {
      cwd: tempDir(),
      timeoutMs: 30_000,
    }).catch((e: unknown) => e)) as GitError;
    expect(error.code).toBe('GIT_FAILED');
    expect(error.message).not.toContain('hunter2');
    expect(error.stderr).not.toContain('hunter2');
  });

  it('says so when it cannot start git in a missing directory', async () => {
    const missing = join(tempDir(), 'missing');
    const error = (await runGit(['status'], { cwd: missing, timeoutMs: 30_000 }).catch(
      (e: unknown) => e,
    )) as GitError;
    expect(error.code).toBe('GIT_FAILED');
    expect(error.exitCode).toBeNull();
    expect(error.message).toContain(missing);
  });

  it('stops git when the time is up', async () => {
    const error = (await runGit(['-c', 'alias.hang=!exec sleep 60', 'hang'], {
      cwd: tempDir(),
      timeoutMs: 300,
    }).catch((e: unknown) => e)) as GitError;
    expect(error.code).toBe('GIT_TIMEOUT');
    expect(error.message).toContain('did not finish within 300 ms');
  });

  it('stops git and the helpers it started when the signal aborts', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const controller = new AbortController();
    // A helper that would hold git's pipes for a minute: it must die with git.
    const running = runGit(['-c', `alias.hang=!echo $$ > ${pidFile}; exec sleep 60`, 'hang'], {
      cwd: dir,
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '')
      await new Promise((r) => setTimeout(r, 20));
    const helper = Number(readFileSync(pidFile, 'utf8'));
    controller.abort(new Error('shutdown'));
    await expect(running).rejects.toMatchObject({ code: 'GIT_ABORTED' });
    expect(isProcessAlive(helper)).toBe(false);
    await expect(
      runGit(['status'], { cwd: dir, timeoutMs: 1000, signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'GIT_ABORTED',
    });
  });
});
