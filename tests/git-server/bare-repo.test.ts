/** createBareRepo: an empty bare repository, git's defaults kept, nothing from the machine. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBareRepo, gitSync } from '../support/git-server/index.js';
import { useTempDirs } from '../support/temp-dir.js';

describe('createBareRepo', () => {
  const tempDir = useTempDirs();

  it('creates an empty bare repository without template hooks or extra settings', () => {
    const dir = createBareRepo(join(tempDir(), 'acme', 'ledger.git'), { initialBranch: 'trunk' });
    expect(gitSync(dir, ['rev-parse', '--is-bare-repository'])).toBe('true');
    expect(gitSync(dir, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/trunk');
    expect(gitSync(dir, ['for-each-ref'])).toBe('');
    expect(existsSync(join(dir, 'hooks'))).toBe(false);
    // The settings a lease relies on are git's defaults, left unset.
    const config = gitSync(dir, ['config', '--local', '--list']);
    expect(config).not.toMatch(/receive\.|core\.sharedrepository/i);
    expect(config).toMatch(/^core\.bare=true$/m);
  });

  it('refuses a relative path, naming it', () => {
    expect(() => createBareRepo('ledger.git')).toThrow(/dir must be an absolute path, got "ledger\.git"/);
  });
});
