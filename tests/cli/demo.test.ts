/**
 * `npm run demo` as a newcomer runs it (a real process: the fake, two clones, two daemons, the
 * scripted agent): it must end in one pull request per issue, each changing only its issue's
 * file, name them in its output and in the state comments, and leave no temporary directory.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DemoFailed, runDemo as runDemoCore } from '../../scripts/demo/run-demo.js';
import { useTempDirs } from '../support/temp-dir.js';

const DEMO = fileURLToPath(new URL('../../scripts/demo.ts', import.meta.url));
const tempDir = useTempDirs();

async function runDemo(workRoot: string): Promise<{ code: number | null; out: string }> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('GITHUB_')) delete env[key];
  const child = spawn(process.execPath, ['--import', 'tsx', DEMO, '--work-root', workRoot], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, out };
}

describe('npm run demo', () => {
  it('shows three issues turned into three pull requests by two daemons, and cleans up', async () => {
    const root = tempDir();
    const { code, out } = await runDemo(root);
    expect(code, out).toBe(0);

    // Between the rounds `status` shows #3 held back by #1 (its pull request not yet merged).
    expect(out).toMatch(/│ #3 +(blocked on #1|waiting for PR #\d+ \(of #1\)) +Link the greeting/);
    const report = out.slice(out.indexOf('\nPull requests:'));
    const pulls = [
      ...report.matchAll(
        /^ {2}#(\d+) \[(open|merged)\] (.+)\n\s+branch (\S+), fixes #(\d+); files changed: (.+)$/gm,
      ),
    ];
    expect(pulls.map((m) => Number(m[5])).sort(), out).toEqual([1, 2, 3]);
    for (const [, number, state, , branch, fixes, files] of pulls) {
      expect(branch).toMatch(new RegExp(`^codex/${fixes}-`));
      expect(files).toBe(`issue-${fixes}.md`);
      // The merged one is #1's: merging it closed #1 and let #3 (which depends on #1) run.
      expect(state).toBe(fixes === '1' ? 'merged' : 'open');
      // Each issue's state comment names its pull request.
      const issue = report.slice(report.indexOf(`\n  #${fixes} `));
      expect(issue.slice(0, issue.indexOf('Artifacts'))).toContain(`Pull request: #${number}`);
    }
    expect(report).toMatch(/^ {2}#1 .* — closed \(completed\); labels: codex:done$/m);
    expect(report).toMatch(/^ {2}#3 .* — open; labels: codex:done$/m);
    // The agent's @-mention reached the pull request body as text that pings nobody.
    expect(report).not.toMatch(/(^|\s)@someone/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('fails, naming the daemon and its exit code, when the work does not end in pull requests', async () => {
    const root = tempDir();
    const lines: string[] = [];
    // The scripted agent fails on `[fail]`: #1 is poisoned after its retries, the daemons exit 1.
    const run = runDemoCore({
      log: (line) => lines.push(line),
      workRoot: root,
      issues: [{ title: 'Broken', body: '[fail]', authorAssociation: 'OWNER' }],
    });
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, lines.join('\n')).toBeInstanceOf(DemoFailed);
    expect((error as DemoFailed).message).toMatch(/^the daemon of ws\d\/codex exited with 1;/);
    expect(readdirSync(root)).toEqual([]);
  });
});
