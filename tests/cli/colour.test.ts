import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childOutput } from '../support/child-output.js';
import { cliArgs, cliCommand } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { githubEnv, ownerIssues, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const ESC = '\u001b[';
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ tokens: [{ token: 'test-token' }] });
  seedIssues(fake, ownerIssues(1));
});
afterAll(() => fake.close());

/**
 * The CLI with exactly `env` for colour (this process's NO_COLOR, FORCE_COLOR and
 * TERM left out). `tty`: its output is a real terminal (a pseudo-terminal opened by script(1)).
 */
function cli(
  args: string[],
  env: Record<string, string>,
  tty = false,
): Promise<{ code: number | null; out: string }> {
  const base = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'TERM', 'CI']) delete base[name];
  for (const name of Object.keys(base)) if (name.startsWith('GITHUB_')) delete base[name];
  const command = tty
    ? ['script', ['-qec', cliCommand(...args), '/dev/null']]
    : [process.execPath, cliArgs(...args)];
  const child = spawn(command[0] as string, command[1] as string[], {
    env: { ...base, TERM: 'xterm', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return childOutput(child);
}

describe('colour: on a terminal only, honouring NO_COLOR and FORCE_COLOR', () => {
  const doctorEnv = (extra: Record<string, string> = {}) =>
    githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'), { LOG_LEVEL: 'warn', ...extra });

  it('doctor: plain when piped, coloured with FORCE_COLOR=1, plain again with NO_COLOR=1', async () => {
    const piped = await cli(['doctor'], doctorEnv());
    expect(piped.code, piped.out).toBe(0);
    expect(piped.out).toContain('✓ token and repository: ');
    expect(piped.out).not.toContain(ESC);
    const forced = await cli(['doctor'], doctorEnv({ FORCE_COLOR: '1' }));
    expect(forced.out).toContain(`${ESC}32m✓${ESC}39m ${ESC}1mtoken and repository${ESC}22m: `);
    expect(forced.out).toContain(`${ESC}33m!${ESC}39m ${ESC}1missues and labels${ESC}22m: `);
    const refused = await cli(['doctor'], doctorEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }));
    expect(refused.out).toContain('✓ token and repository: ');
    expect(refused.out).not.toContain(ESC);
  });

  it("run: the reporter's lines are coloured on a terminal, and not with NO_COLOR=1", async () => {
    const dir = tempDir();
    const dag = join(dir, 'dag.yaml');
    writeFileSync(dag, '- id: only\n  payload: { kind: noop }\n');
    const args = ['run', '--seed', dag, '--until-idle'];
    const terminal = await cli(args, fastEnv(join(dir, 'a')), true);
    expect(terminal.code, terminal.out).toBe(0);
    expect(terminal.out).toContain(`${ESC}32mdone     ${ESC}39m only in `);
    const noColour = await cli(args, fastEnv(join(dir, 'b'), { NO_COLOR: '1' }), true);
    expect(noColour.code, noColour.out).toBe(0);
    expect(noColour.out).toMatch(/\d\d:\d\d:\d\d done {6}only in /);
    // The live footer still moves the cursor (ESC [ … A/K/G); no colour (SGR: ESC [ n m) is left.
    expect(noColour.out).not.toMatch(new RegExp(`${ESC.replace('[', '\\[')}[\\d;]*m`));
  });

  it('tasks ls and status: a state has its colour, columns stay aligned, piped output stays plain', async () => {
    const dir = tempDir();
    const dag = join(dir, 'dag.yaml');
    writeFileSync(
      dag,
      '- id: build\n  payload: { kind: noop }\n- id: publish\n  deps: [build]\n  payload: { kind: noop }\n',
    );
    const env = fastEnv(join(dir, 'state'));
    expect((await cli(['tasks', 'seed', dag], env)).code).toBe(0);
    const plain = await cli(['tasks', 'ls'], env);
    expect(plain.out).toMatch(/^publish {2}blocked {2}/m);
    expect(plain.out).not.toContain(ESC);
    const forced = await cli(['tasks', 'ls'], { ...env, FORCE_COLOR: '1' });
    expect(forced.out).toContain(`${ESC}35mblocked${ESC}39m`); // blocked is magenta everywhere
    expect(stripVTControlCharacters(forced.out)).toBe(plain.out); // painted after padding
    const status = await cli(['status'], { ...env, FORCE_COLOR: '1' });
    expect(status.out).toContain(`${ESC}1mBlocked${ESC}22m`); // section titles in bold
    expect(status.out).toContain(`${ESC}35mBLOCKED${ESC}39m`); // the state's column in its colour
  });
});
