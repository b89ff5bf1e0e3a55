import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

describe('the state directory', () => {
  it.each(['status', 'events', 'events stats', 'state ls', 'tasks ls'])(
    'read-only `%s` on a missing state directory says so, exits 2 and creates nothing',
    async (command) => {
      const args = command.split(' ');
      // As if run from the wrong folder: the state directory it names does not exist.
      const dir = tempDir();
      const result = await runCli(args, { env: { CODEX_MONITOR_STATE_DIR: join(dir, '.codex-monitor') } });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`No codex-monitor state in ${join(dir, '.codex-monitor')}`);
      expect(result.stderr).toMatch(/--state-dir <dir> or CODEX_MONITOR_STATE_DIR/);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it('a state directory that cannot be created is a clear configuration error, exit 2', async () => {
    const dir = tempDir();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const result = await runCli(['tasks', 'add', 'x'], {
      env: { CODEX_MONITOR_STATE_DIR: join(file, 'state') },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `CODEX_MONITOR_STATE_DIR (or --state-dir) ${JSON.stringify(join(file, 'state'))}: cannot create the state directory (ENOTDIR)`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);

    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const denied = await runCli(['run', '--once'], {
      env: { CODEX_MONITOR_STATE_DIR: join(locked, 'state') },
    });
    // root may write anywhere: then the directory is simply created.
    if (process.getuid?.() !== 0) {
      expect(denied.code).toBe(2);
      expect(denied.stderr).toMatch(/cannot create the state directory \(EACCES\)/);
      expect(denied.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a 0-byte state.db is not opened as an empty board: it is kept aside with a warning', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state.db'), '');
    const result = await runCli(['--state-dir', dir, 'tasks', 'ls']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/the state database was corrupt: moved it aside/);
    expect(result.stderr).toMatch(/the file is empty \(0 bytes\)/);
    const backups = readdirSync(dir).filter((f) => /^state\.db\.corrupt-[^.]+$/.test(f));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe('');
    expect(existsSync(join(dir, 'state.db'))).toBe(true);
  });
});
