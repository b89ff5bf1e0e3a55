import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { gitFixture } from '../../tests/workspaces/git-fixture.js';
import { runGit } from '../host/git-runner.js';
import { ensureAskpass, GIT_TOKEN_USER, gitAuthEnv } from './credentials.js';

const tempDir = useTempDirs();
const TOKEN = 'ghs_secretTokenValue1234567890';

/** Every file below `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (readFileSync(path).includes(needle)) found.push(path);
  }
  return found;
}

/** `git credential fill` asks exactly as a push over https would: helpers first, then askpass. */
async function credentialFill(cwd: string, env: Record<string, string>): Promise<Record<string, string>> {
  const { stdout } = await runGit(['credential', 'fill'], {
    cwd,
    env,
    timeoutMs: 30_000,
    input: 'protocol=https\nhost=github.example.test\npath=acme/widgets.git\n\n',
  });
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('askpass credentials', () => {
  it('writes the askpass program once, 0700, in the given directory, with no secret in it', () => {
    const stateDir = join(tempDir(), 'state');
    const path = ensureAskpass(stateDir);
    expect(path.startsWith(stateDir)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o700);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    const written = statSync(path).mtimeMs;
    expect(ensureAskpass(stateDir)).toBe(path);
    expect(statSync(path).mtimeMs).toBe(written); // not rewritten
    writeFileSync(path, '#!/bin/sh\necho tampered\n');
    chmodSync(path, 0o755);
    ensureAskpass(stateDir);
    expect(readFileSync(path, 'utf8')).not.toContain('tampered'); // repaired
    expect(statSync(path).mode & 0o777).toBe(0o700);
  });

  it('answers git’s Username and Password prompts from the environment', () => {
    const path = ensureAskpass(tempDir());
    const env = { PATH: process.env.PATH ?? '', ...gitAuthEnv(TOKEN, path) };
    const ask = (prompt: string) => execFileSync(path, [prompt], { env, encoding: 'utf8' });
    expect(ask("Username for 'https://github.com': ")).toBe(`${GIT_TOKEN_USER}\n`);
    expect(ask("Password for 'https://x-access-token@github.com': ")).toBe(`${TOKEN}\n`);
  });

  it('gives git the token through askpass, past the user’s credential helper; without a token the user’s own credentials answer', async () => {
    const repo = gitFixture(tempDir());
    const stateDir = tempDir();
    // The user's own helper, with a stored credential for that host.
    const store = join(repo.dir, 'home', 'store');
    writeFileSync(store, 'https://someone:users-own-password@github.example.test\n');
    repo.git(['config', '--global', 'credential.helper', `store --file=${store}`]);
    const askpass = ensureAskpass(stateDir);

    const withToken = await credentialFill(repo.clone, { ...repo.env, ...gitAuthEnv(TOKEN, askpass) });
    expect(withToken.username).toBe(GIT_TOKEN_USER);
    expect(withToken.password).toBe(TOKEN);

    const withoutToken = await credentialFill(repo.clone, { ...repo.env, ...gitAuthEnv(null, askpass) });
    expect(withoutToken.username).toBe('someone');
    expect(withoutToken.password).toBe('users-own-password');
  });

  it('puts the token in no argv and in no file', async () => {
    const repo = gitFixture(tempDir());
    const stateDir = tempDir();
    // A `git` ahead on PATH that records every command line it is given, then runs git.
    const shims = tempDir();
    const argvLog = join(shims, 'argv.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(shims, 'git'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec '${realGit}' "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const env = {
      ...repo.env,
      ...gitAuthEnv(TOKEN, ensureAskpass(stateDir)),
      PATH: `${shims}:${process.env.PATH}`,
    };
    const filled = await credentialFill(repo.clone, env);
    expect(filled.password).toBe(TOKEN); // the token did flow, through the environment
    await runGit(['push', '--quiet', 'origin', 'HEAD:refs/heads/probe'], {
      cwd: repo.clone,
      env,
      timeoutMs: 30_000,
    });

    const argv = readFileSync(argvLog, 'utf8');
    expect(argv).toContain('credential fill');
    expect(argv).toContain('push --quiet origin');
    expect(argv).not.toContain(TOKEN);
    expect(filesContaining(stateDir, TOKEN)).toEqual([]);
    expect(filesContaining(repo.dir, TOKEN)).toEqual([]);
    expect(filesContaining(shims, TOKEN)).toEqual([]);
  });
});
