import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBareRepo, gitSync } from '../../../tests/support/git-server/index.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { loadConfig } from '../../config/config.js';
import { InputError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { userGitCredentials } from '../../workspaces/index.js';
import { openLedgerTransport } from './open-ledger.js';

const tempDir = useTempDirs();

/** A bare `acme/widgets` repository and a clone of it; a plain directory beside them. */
function setup() {
  const dir = tempDir();
  const bare = createBareRepo(join(dir, 'srv', 'acme', 'widgets.git'));
  const clone = join(dir, 'clone');
  gitSync(dir, ['clone', '--quiet', bare, clone]);
  const plain = join(dir, 'plain');
  mkdirSync(plain);
  return { dir, bare, clone, plain };
}

function choose(env: Record<string, string>, readOnly = false) {
  const config = loadConfig({
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_TOKEN: 'test-token',
    EXECUTOR: 'noop',
    CODEX_MONITOR_STATE_DIR: join(tempDir(), 'state'),
    ...env,
  });
  return openLedgerTransport(config, { logger: silentLogger(), credentials: userGitCredentials, readOnly });
}

describe('choosing the ledger transport', () => {
  it('auto: git over the clone’s remote when this user can push there', async () => {
    const { clone, bare } = setup();
    const choice = await choose({ CODEX_MONITOR_REPO_DIR: clone });
    expect(choice.transport?.kind).toBe('git');
    expect(choice.transport?.where).toBe(bare);
    expect(choice.reason).toContain(`remote origin of ${clone}`);
  });

  it('auto: the REST API when a dry-run push is refused; a reader (status) makes no push probe', async () => {
    const { clone, dir, bare } = setup();
    // The push URL names the repository, but nothing is there to push to.
    gitSync(clone, ['remote', 'set-url', '--push', 'origin', join(dir, 'gone', 'acme', 'widgets.git')]);
    const daemon = await choose({ CODEX_MONITOR_REPO_DIR: clone });
    expect(daemon.transport).toBeUndefined();
    expect(daemon.reason).toMatch(/^REST API: a dry-run push was refused/);
    const reader = await choose({ CODEX_MONITOR_REPO_DIR: clone }, true);
    expect(reader.transport?.kind).toBe('git');
    expect(reader.transport?.where).toBe(bare); // it reads where the clone fetches from
  });

  it('auto: the REST API when the repository directory is no clone, saying why', async () => {
    const { plain } = setup();
    const choice = await choose({ CODEX_MONITOR_REPO_DIR: plain });
    expect(choice.transport).toBeUndefined();
    expect(choice.reason).toMatch(/^REST API: .*not a git repository/);
  });

  it('auto: the REST API when the clone is of another repository', async () => {
    const { dir } = setup();
    const other = createBareRepo(join(dir, 'srv', 'acme', 'gadgets.git'));
    const clone = join(dir, 'gadgets');
    gitSync(dir, ['clone', '--quiet', other, clone]);
    const choice = await choose({ CODEX_MONITOR_REPO_DIR: clone });
    expect(choice.transport).toBeUndefined();
    expect(choice.reason).toContain('acme/gadgets');
  });

  it('rest: the REST API whatever the clone', async () => {
    const { clone } = setup();
    const choice = await choose({ CODEX_MONITOR_REPO_DIR: clone, LEDGER_TRANSPORT: 'rest' });
    expect(choice).toEqual({ transport: undefined, reason: 'LEDGER_TRANSPORT=rest' });
  });

  it('git: refuses to start without a remote, naming LEDGER_REMOTE', async () => {
    const { plain } = setup();
    const failure = await choose({ CODEX_MONITOR_REPO_DIR: plain, LEDGER_TRANSPORT: 'git' }).catch((e) => e);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as Error).message).toMatch(/LEDGER_TRANSPORT=git needs a git remote.*Set LEDGER_REMOTE/);
  });

  it('LEDGER_REMOTE: a URL or path is used as given; a remote name is looked up in the clone', async () => {
    const { clone, bare, plain } = setup();
    const byUrl = await choose({ CODEX_MONITOR_REPO_DIR: plain, LEDGER_REMOTE: `file://${bare}` });
    expect(byUrl.transport?.where).toBe(`file://${bare}`);
    const byName = await choose({ CODEX_MONITOR_REPO_DIR: clone, LEDGER_REMOTE: 'origin' });
    expect(byName.transport?.where).toBe(bare);
    const missing = await choose({ CODEX_MONITOR_REPO_DIR: clone, LEDGER_REMOTE: 'nope' });
    expect(missing.transport).toBeUndefined();
    expect(missing.reason).toContain('"nope"');
  });
});
