import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { checkProgram, resolveProgram } from './program-path.js';

const tempDir = useTempDirs();

/** A PATH directory with an executable `echo`, and another directory with an impostor `echo`. */
function layout() {
  const root = tempDir();
  const bin = join(root, 'bin');
  const elsewhere = join(root, 'any', 'dir');
  const cwd = join(root, 'workspace');
  for (const dir of [bin, elsewhere, cwd]) mkdirSync(dir, { recursive: true });
  for (const file of [join(bin, 'echo'), join(elsewhere, 'echo'), join(cwd, 'echo'), join(bin, 'codex')]) {
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
  }
  writeFileSync(join(bin, 'readme'), 'not executable');
  symlinkSync(join(bin, 'codex'), join(elsewhere, 'codex-link'));
  return { bin, elsewhere, cwd, where: { path: `${join(root, 'missing')}:${bin}`, cwd } };
}

describe('checkProgram: the allow-list compares resolved files, not file names', () => {
  it('allows a listed name looked up through the attempt’s PATH, and runs that file', () => {
    const { bin, where } = layout();
    expect(checkProgram('echo', ['echo'], where)).toEqual({ ok: true, file: join(bin, 'echo') });
  });

  it('refuses another file of an allowed name: /any/dir/echo and ./echo when `echo` is allowed', () => {
    const { bin, elsewhere, where } = layout();
    const other = checkProgram(join(elsewhere, 'echo'), ['echo'], where);
    expect(other).toEqual({
      ok: false,
      error:
        `program "${join(elsewhere, 'echo')}" is not in EXECUTOR_ALLOWLIST (it resolves to ${join(elsewhere, 'echo')}; ` +
        `EXECUTOR_ALLOWLIST: echo = ${join(bin, 'echo')}); a path is allowed only when EXECUTOR_ALLOWLIST lists that path`,
    });
    expect(checkProgram('./echo', ['echo'], where).ok).toBe(false);
    // Even the very file PATH finds: an absolute path must be listed as such.
    expect(checkProgram(join(bin, 'echo'), ['echo'], where).ok).toBe(false);
  });

  it('allows an absolute entry as that file: by its path, through a symlink, or as a name PATH resolves to it', () => {
    const { bin, elsewhere, where } = layout();
    const codex = join(bin, 'codex');
    expect(checkProgram(codex, [codex], where)).toEqual({ ok: true, file: codex });
    expect(checkProgram('codex', [codex], where)).toEqual({ ok: true, file: codex });
    expect(checkProgram(join(elsewhere, 'codex-link'), [codex], where).ok).toBe(true);
    expect(checkProgram(join(elsewhere, 'echo'), [codex], where).ok).toBe(false);
  });

  it('says so when an allowed name is not on PATH, or a program is not allowed at all', () => {
    const { where } = layout();
    expect(checkProgram('node', ['node'], where)).toEqual({
      ok: false,
      error: `program "node" is allowed but cannot run: it is not found on the attempt's PATH (${where.path}) (EXECUTOR_ALLOWLIST: node (not found on PATH))`,
    });
    const refused = checkProgram('codex', ['echo'], where);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(
      /^program "codex" is not in EXECUTOR_ALLOWLIST \(it resolves to .*\/bin\/codex; EXECUTOR_ALLOWLIST: echo = .*\/bin\/echo\); add the name or the path/,
    );
    expect(checkProgram('readme', ['readme'], where).ok).toBe(false); // not executable
    expect(checkProgram('', ['echo'], where).ok).toBe(false);
  });
});

describe('resolveProgram', () => {
  it('searches PATH in order, skipping missing directories and non-executable files', () => {
    const { bin, cwd, where } = layout();
    expect(resolveProgram('echo', where)).toBe(join(bin, 'echo'));
    expect(resolveProgram('readme', where)).toBeNull();
    expect(resolveProgram('./echo', where)).toBe(join(cwd, 'echo'));
    expect(resolveProgram('echo', { path: undefined, cwd })).toBeNull();
  });
});
