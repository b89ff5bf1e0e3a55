import { PassThrough } from 'node:stream';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { InputError } from '../../core/errors.js';
import { resolveChoices } from './choices.js';
import { initEnvText } from './env-file.js';
import { promptAsker } from './prompt.js';

/** Answers typed into a pipe, as on a terminal; the questions asked come back as text. */
async function answering(lines: string[], flags = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let asked = '';
  output.on('data', (d: Buffer) => {
    asked += d.toString();
  });
  input.end(lines.map((l) => `${l}\n`).join(''));
  const prompt = promptAsker(input, output);
  try {
    return { ...(await resolveChoices(flags, prompt.ask)), asked: () => asked };
  } finally {
    prompt.close();
  }
}

describe('init choices', () => {
  it('asks for what the flags leave out, and takes the answers', async () => {
    const { choices, chosen, asked } = await answering([
      'github',
      'acme/widgets',
      'shell',
      'node agent.mjs --fast',
    ]);
    expect(choices).toEqual({
      board: 'github',
      repository: 'acme/widgets',
      executor: 'shell',
      executorCommand: 'node agent.mjs --fast',
    });
    expect(chosen.map((c) => c.how)).toEqual(['answer', 'answer', 'answer', 'answer']);
    expect(asked()).toMatch(
      /^Board: local .* \[local\]: Repository \(owner\/name\): Executor: .* \[codex\]: Command run/,
    );
  });

  it('takes the default on Enter, asks a wrong answer again, and skips what flags gave', async () => {
    const { choices, chosen, asked } = await answering(['not/a/repo', 'acme/widgets', ''], {
      board: 'github',
    });
    expect(choices).toEqual({ board: 'github', repository: 'acme/widgets', executor: 'codex' });
    expect(chosen).toEqual([
      { setting: 'board', value: 'github', how: 'flag' },
      { setting: 'repository', value: 'acme/widgets', how: 'answer' },
      { setting: 'executor', value: 'codex', how: 'default' },
    ]);
    expect(asked()).toContain('repository "not/a/repo": expected owner/name');
    expect(asked()).not.toMatch(/^Board/);
  });

  it('gives up after three wrong answers, naming the value', async () => {
    await expect(answering(['mars', 'venus', 'pluto'])).rejects.toThrow(
      /board "pluto": expected one of local, github/,
    );
  });

  it('without a terminal: flags and defaults, and what cannot default is refused', async () => {
    expect(await resolveChoices({})).toEqual({
      choices: { board: 'local' },
      chosen: [{ setting: 'board', value: 'local', how: 'default' }],
    });
    expect((await resolveChoices({ repo: 'acme/widgets' })).choices).toEqual({
      board: 'github',
      repository: 'acme/widgets',
      executor: 'codex',
    });
    await expect(resolveChoices({ board: 'github' })).rejects.toThrow(/needs --repo owner\/name/);
    await expect(resolveChoices({ repo: 'acme/widgets', executor: 'shell' })).rejects.toThrow(InputError);
    await expect(resolveChoices({ executor: 'codex', executorCommand: 'x' })).rejects.toThrow(/drop one/);
    await expect(resolveChoices({ board: 'local', repo: 'a/b' })).rejects.toThrow(/add --board github/);
  });
});

describe('the .env init writes', () => {
  it('reads back through dotenv into a configuration loadConfig accepts, with every value intact', () => {
    const command = `node "my agent.mjs" --title 'x' y`;
    const text = initEnvText({
      board: 'github',
      repository: 'acme/widgets',
      executor: 'shell',
      executorCommand: command,
    });
    const env = parse(text);
    expect(env).toEqual({ GITHUB_REPOSITORY: 'acme/widgets', EXECUTOR: 'shell', EXECUTOR_COMMAND: command });
    const config = loadConfig({ ...env, GITHUB_TOKEN: 't' }, { cwd: '/work' });
    expect(config.executor).toMatchObject({ kind: 'shell', command });
    expect(text).toMatch(/^# GITHUB_TOKEN=$/m);
    expect(text).toMatch(/^# MAX_PARALLEL=1$/m);
  });
});
