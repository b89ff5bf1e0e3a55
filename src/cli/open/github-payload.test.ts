import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { loadConfig } from '../../config/config.js';
import { ConfigError } from '../../core/errors.js';
import { githubPayloads } from './github-payload.js';

const tempDir = useTempDirs();
const GITHUB = { GITHUB_REPOSITORY: 'acme/widgets', GITHUB_TOKEN: 't' };

describe('githubPayloads', () => {
  it('builds the prompt and the preset payload for gemini, aider and a custom preset', async () => {
    const dir = tempDir();
    const files = { bodyFile: join(dir, 'body.md'), promptFile: join(dir, 'prompt.md') };
    writeFileSync(files.bodyFile, '--help me');
    const issue = { number: 7, title: 'T', url: 'https://github.com/acme/widgets/issues/7' };
    const payloadFor = (env: Record<string, string>) =>
      githubPayloads(loadConfig({ ...GITHUB, ...env }, { cwd: dir }));
    const run = (env: Record<string, string>) =>
      payloadFor(env)(issue as Parameters<ReturnType<typeof payloadFor>>[0], files);

    expect(await run({ EXECUTOR: 'gemini' })).toMatchObject({
      cmd: ['gemini', '--approval-mode', 'auto_edit', '--sandbox=false'],
      stdinFile: files.promptFile,
    });
    expect(readFileSync(files.promptFile, 'utf8')).toContain('# Issue #7: T');
    expect(await run({ EXECUTOR: 'aider' })).toMatchObject({
      cmd: ['aider', '--yes-always', '--message-file', files.promptFile],
    });
    expect(
      await run({ EXECUTOR: 'custom', EXECUTOR_COMMAND: 'agent -q', EXECUTOR_PROMPT: 'file-flag:--in=' }),
    ).toEqual({ kind: 'shell', cmd: ['agent', '-q', `--in=${files.promptFile}`], timeoutMs: 3_600_000 });
  });

  it('refuses a malformed custom preset when the board is opened, not per attempt', () => {
    const config = loadConfig(
      { ...GITHUB, EXECUTOR: 'custom', EXECUTOR_COMMAND: "agent 'open" },
      { cwd: '/w' },
    );
    expect(() => githubPayloads(config)).toThrow(ConfigError);
    expect(() => githubPayloads(config)).toThrow(
      /EXECUTOR_COMMAND: Invalid command line .*unterminated single quote/,
    );
  });
});
