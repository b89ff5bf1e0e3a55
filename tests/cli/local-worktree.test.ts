import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { exitWithin, fastEnv, openTestState, startCli } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';
import { gitFixture, worktreeDaemonEnv } from '../workspaces/git-fixture.js';

const tempDir = useTempDirs();
/** A bound on "never": the run needs a few seconds; a daemon that never idles is stopped. */
const HANG_GUARD_MS = 60_000;

/** A shell task that writes `file` in its working directory. */
const writes = (file: string, text: string) => ({
  kind: 'shell',
  cmd: ['node', '-e', `require('node:fs').writeFileSync(${JSON.stringify(file)}, ${JSON.stringify(text)})`],
});

describe('the local board with worktrees (real process, real git)', () => {
  it('a `workspace: true` task ends as a local branch holding its commit; the user’s checkout is untouched', async () => {
    const dir = tempDir();
    const repo = gitFixture(dir);
    // The user's own work in progress: uncommitted, on main.
    writeFileSync(join(repo.clone, 'README.md'), '# widgets, being edited\n');
    const userBefore = {
      head: repo.git(['rev-parse', 'HEAD']),
      status: repo.git(['status', '--porcelain']),
    };
    const stateDir = join(dir, 'state');
    const dag = join(dir, 'dag.yaml');
    writeFileSync(
      dag,
      stringify({
        tasks: [
          {
            id: 'note',
            title: 'Write the note',
            workspace: true,
            payload: writes('note.txt', 'from the task\n'),
          },
          { id: 'plain', payload: writes('plain.txt', 'no worktree\n') },
        ],
      }),
    );
    const env = fastEnv(stateDir, worktreeDaemonEnv(repo));
    const daemon = startCli(['run', '--seed', dag, '--until-idle', '--owner', 'w1'], env);
    const ended = await exitWithin(daemon, HANG_GUARD_MS);
    expect(ended, daemon.output()).toBe(0);

    const store = openTestState(stateDir);
    try {
      expect(store.get('note')!.state).toBe('done');
      expect(store.get('plain')!.state).toBe('done');
    } finally {
      store.close();
    }
    const branch = 'codex/note-write-the-note';
    expect(repo.git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/codex'])).toBe(branch);
    // One commit on top of the user's branch, holding exactly the task's file.
    expect(repo.git(['rev-list', '--count', `main..${branch}`])).toBe('1');
    expect(repo.git(['diff', '--name-only', 'main', branch])).toBe('note.txt');
    expect(repo.git(['show', `${branch}:note.txt`])).toBe('from the task');
    expect(repo.git(['log', '-1', '--format=%an <%ae>%n%s%n%b', branch])).toMatch(
      /^Task Bot <bot@example\.test>\nWrite the note\n[\s\S]*Codex-Monitor-Task: note/,
    );
    // The task without `workspace` ran elsewhere: nothing of it in the repository.
    expect(existsSync(join(repo.clone, 'plain.txt'))).toBe(false);
    expect(existsSync(join(repo.clone, 'note.txt'))).toBe(false);
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(userBefore.head);
    expect(repo.git(['status', '--porcelain'])).toBe(userBefore.status);
    expect(readFileSync(join(repo.clone, 'README.md'), 'utf8')).toBe('# widgets, being edited\n');
    // The worktree went with the completed attempt; the branch stayed.
    const ls = await runCli(['workspaces', 'ls', '--json'], { env });
    expect(JSON.parse(ls.stdout)).toEqual([]);
  });

  it('WORKSPACE=worktree with a repository directory that is not a git repository is a clear start-up error', async () => {
    const dir = tempDir();
    const env = fastEnv(join(dir, 'state'), { WORKSPACE: 'worktree', CODEX_MONITOR_REPO_DIR: dir });
    const result = await runCli(['run', '--once'], { env });
    expect(result.code).toBe(2); // bad input, like every configuration error
    expect(result.stderr).toContain(`CODEX_MONITOR_REPO_DIR ${dir} is not a git repository`);
    expect(result.stderr).toContain('WORKSPACE=none');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
