import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { renderEnvFile } from './env-file.js';
import { VARIABLE_SECTIONS, VARIABLES } from './variables.js';
import { spliceVariablesTables, tableMarkers } from './variables-table.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const FIX = 'run `npm run docs:env` to write it from src/config/variables.ts';

describe('.env.example and the README tables come from variables.ts', () => {
  it('.env.example is what renderEnvFile writes', () => {
    expect(
      read('.env.example') === renderEnvFile(VARIABLE_SECTIONS),
      `.env.example has drifted: ${FIX}`,
    ).toBe(true);
  });

  it('the README tables are what the variables say, every variable in one', () => {
    const readme = read('README.md');
    const { text, missing } = spliceVariablesTables(readme, VARIABLE_SECTIONS);
    expect(missing, 'README.md lacks the markers of these tables').toEqual([]);
    expect(text === readme, `README.md's variable tables have drifted: ${FIX}`).toBe(true);
    for (const { name } of VARIABLES) expect(readme).toContain(`| \`${name}\` |`);
  });
});

describe('renderEnvFile', () => {
  it('comments out every variable with its default, under its section', () => {
    const file = renderEnvFile(VARIABLE_SECTIONS);
    expect(parse(file)).toEqual({});
    expect(file).toContain('\n# MAX_PARALLEL=1\n');
    expect(file).toContain('\n# GITHUB_TOKEN=\n');
    expect(file).toContain('# --- Workspaces and delivery');
  });

  it('leaves out what only the other board reads', () => {
    const local = renderEnvFile(VARIABLE_SECTIONS, { board: 'local' });
    expect(local).toContain('# LOCAL_POLL_INTERVAL_MS=500');
    expect(local).not.toContain('GITHUB_REPOSITORY=');
    expect(local).not.toContain('LEDGER_TRANSPORT=');
    const github = renderEnvFile(VARIABLE_SECTIONS, { board: 'github' });
    expect(github).toContain('# GITHUB_REPOSITORY=');
    expect(github).not.toContain('LOCAL_POLL_INTERVAL_MS=');
  });

  it('writes the given values as live lines that dotenv reads back exactly', () => {
    const values = {
      GITHUB_REPOSITORY: 'acme/widgets',
      EXECUTOR_COMMAND: `codex exec --full-auto "fix it" # not a comment`,
      COMMIT_AUTHOR: `Bot O'Neil <bot@example.com>`,
      GITHUB_APP_PRIVATE_KEY: '-----BEGIN KEY-----\nabc\n-----END KEY-----',
    };
    const file = renderEnvFile(VARIABLE_SECTIONS, { board: 'github', values });
    expect(file).toContain('\nGITHUB_REPOSITORY=acme/widgets\n');
    expect(parse(file)).toEqual(values);
  });

  it('refuses a value no quoting can carry, naming the variable', () => {
    expect(() => renderEnvFile(VARIABLE_SECTIONS, { values: { EXECUTOR_COMMAND: `a'b"c\`d` } })).toThrow(
      expect.objectContaining({
        code: 'INPUT_INVALID',
        message: expect.stringContaining('EXECUTOR_COMMAND'),
      }),
    );
  });
});

describe('spliceVariablesTables', () => {
  it('rewrites only between the markers and names missing ones', () => {
    const { start, end } = tableMarkers('daemon');
    const { text, missing } = spliceVariablesTables(
      `before\n${start}\nSTALE-ROW\n${end}\nafter\n`,
      VARIABLE_SECTIONS,
    );
    expect(missing).toEqual(['workspaces', 'notify', 'serve', 'review', 'project', 'jira']);
    expect(text).toMatch(/^before\n<!-- variables:start daemon -->\n\| variable \| default \| meaning \|\n/);
    expect(text).not.toContain('STALE-ROW');
    expect(text).toContain('| `MAX_PARALLEL` | `1` |');
    expect(text.endsWith(`${end}\nafter\n`)).toBe(true);
  });

  it('keeps Markdown out of the meaning column', () => {
    const { start, end } = tableMarkers('x');
    const section = { id: 'x', variables: [{ ...VARIABLES[0], doc: 'a <b> | LC_* `x|*` [y]' }] };
    const { text } = spliceVariablesTables(`${start}\n${end}`, [section]);
    expect(text).toContain('| a &lt;b&gt; \\| LC_\\* `x\\|*` \\[y\\] |');
  });
});
