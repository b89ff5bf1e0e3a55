import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliArgv, runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';
import { TMUX_MISSING, useTmux } from '../support/tmux.js';

const tempDir = useTempDirs();
const NODE_CLI = cliArgv();
/** A task that runs until the test creates its gate file: "long" without a timing guess. */
const WAIT_FOR_GATE = `const { existsSync } = require('node:fs');
const timer = setInterval(() => { if (existsSync(process.argv[2])) clearInterval(timer); }, 50);
`;

if (TMUX_MISSING) console.warn(`live terminal tests skipped: ${TMUX_MISSING}`);

describe.skipIf(TMUX_MISSING !== null)(
  `codex-monitor on a real terminal (tmux)${TMUX_MISSING ? ` — skipped: ${TMUX_MISSING}` : ''}`,
  () => {
    const tmux = useTmux();
    const heading = (screen: string) => /codex-monitor status at (\S+):/.exec(screen)?.[1];

    it('status --watch redraws in place: a task added between frames shows up, the scrollback does not grow', async () => {
      const env = fastEnv(tempDir());
      await runCli(['tasks', 'add', 'alpha'], { env });
      const pane = tmux([...NODE_CLI, 'status', '--watch', '1s'], env);
      await pane.waitFor((s) => /\b1 ready\b/.test(s), 'the first frame');
      await runCli(['tasks', 'add', 'beta'], { env });
      await pane.waitFor((s) => /\b2 ready\b/.test(s), 'a frame with the added task');
      for (let frame = 0; frame < 3; frame++) {
        const shown = heading(pane.screen());
        await pane.waitFor((s) => heading(s) !== undefined && heading(s) !== shown, 'the next frame');
      }
      // Five frames or more, each in the place of the last: one heading in all, nothing scrolled off.
      expect(pane.historySize()).toBe(0);
      expect(pane.everything().match(/codex-monitor status at/g)).toHaveLength(1);
      expect(pane.cursorVisible()).toBe(false);

      pane.sendKeys('C-c');
      await pane.waitFor(() => pane.exitStatus() !== null, 'the exit');
      expect(pane.exitStatus()).toBe(0);
      const last = pane.everything();
      expect(last).toMatch(/\b2 ready\b/); // the last frame stays on screen
      expect(last).not.toMatch(/Error|^\s+at .+:\d+:\d+\)?$/m); // no stack
      expect(pane.cursorVisible()).toBe(true);
    });

    it('status --watch with a frame taller than the terminal shows its top, and still does not scroll', async () => {
      const dir = tempDir();
      const env = fastEnv(join(dir, 'state'));
      // One agent per task: the "Tasks by agent" table alone is taller than the 40 rows.
      const dag = Array.from({ length: 50 }, (_, i) => `- id: t${i}\n  agent: agent-${i}\n`).join('');
      writeFileSync(join(dir, 'dag.yaml'), dag);
      await runCli(['tasks', 'seed', join(dir, 'dag.yaml')], { env });
      const pane = tmux([...NODE_CLI, 'status', '--watch', '1s'], env);
      const screen = await pane.waitFor((s) => /more lines/.test(s), 'a cut frame');
      expect(screen.split('\n')[0]).toMatch(/^codex-monitor status at \S+: .*50 ready/);
      const shown = heading(screen);
      await pane.waitFor((s) => heading(s) !== undefined && heading(s) !== shown, 'the next frame');
      expect(pane.historySize()).toBe(0);
    });

    it('run shows a live footer under the transition lines and logs, and none is left when the run ends', async () => {
      const dir = tempDir();
      // Logs on the same terminal print above the footer too (info: "daemon started").
      const env = fastEnv(join(dir, 'state'), { LOG_LEVEL: 'info' });
      const gate = join(dir, 'go');
      writeFileSync(join(dir, 'wait.cjs'), WAIT_FOR_GATE);
      await runCli(
        ['tasks', 'add', 'slow', '--title', 'Slow one', '--shell', `node ${join(dir, 'wait.cjs')} ${gate}`],
        {
          env,
        },
      );
      await runCli(['tasks', 'add', 'quick', '--shell', 'node --version'], { env });
      const pane = tmux([...NODE_CLI, 'run', '--until-idle', '--parallel', '2'], env);

      // The slow task runs on (elapsed time counting) while the quick one comes and goes above.
      const screen = await pane.waitFor(
        (s) => /done\s+quick/.test(s) && /^\s+slow\s+[1-9]\d*s\s+attempt 1 — Slow one$/m.test(s),
        'the footer with the slow task running',
      );
      const lines = screen.split('\n');
      const footer = lines.findIndex((l) => /slots in use/.test(l));
      expect(lines[footer]).toMatch(/^── 1\/2 slots in use · (next check in \d+s|checking the board)$/);
      for (const transition of [/daemon started/, /started\s+slow/, /claimed\s+quick/, /done\s+quick/]) {
        const at = lines.findIndex((l) => transition.test(l));
        expect(at).toBeGreaterThanOrEqual(0);
        expect(at).toBeLessThan(footer);
      }
      expect(pane.everything().match(/slots in use/g)).toHaveLength(1);

      writeFileSync(gate, '');
      await pane.waitFor(() => pane.exitStatus() !== null, 'the end of the run');
      expect(pane.exitStatus()).toBe(0);
      const all = pane.everything();
      expect(all).toMatch(/done\s+slow in/);
      expect(all).toMatch(/codex-monitor status at \S+: 2 done/);
      expect(all).not.toMatch(/slots in use|attempt 1 — Slow one/);
      expect(pane.cursorVisible()).toBe(true);
    });

    it('Ctrl-C during a run: the task is released, the footer erased, the cursor shown', async () => {
      const dir = tempDir();
      const env = fastEnv(join(dir, 'state'));
      writeFileSync(join(dir, 'wait.cjs'), WAIT_FOR_GATE);
      await runCli(
        ['tasks', 'add', 'slow', '--shell', `node ${join(dir, 'wait.cjs')} ${join(dir, 'never')}`],
        {
          env,
        },
      );
      const pane = tmux([...NODE_CLI, 'run'], env);
      await pane.waitFor((s) => /^\s+slow\s+\d+s\s+attempt 1$/m.test(s), 'the footer with the task');
      expect(pane.cursorVisible()).toBe(false);
      pane.sendKeys('C-c');
      await pane.waitFor(() => pane.exitStatus() !== null, 'the end of the run');
      expect(pane.exitStatus()).toBe(0);
      const all = pane.everything();
      expect(all).toMatch(/released\s+slow/);
      expect(all).not.toMatch(/slots in use|attempt 1$/m);
      expect(pane.cursorVisible()).toBe(true);
    });

    it('a second Ctrl-C (forced exit) still leaves no footer behind, and the cursor shown', async () => {
      const dir = tempDir();
      // Long graces: the task ignores SIGTERM, so the first Ctrl-C leaves the run waiting.
      const env = fastEnv(join(dir, 'state'), {
        SHUTDOWN_GRACE_MS: '60000',
        EXECUTOR_KILL_GRACE_MS: '60000',
      });
      writeFileSync(
        join(dir, 'stubborn.cjs'),
        "process.on('SIGTERM', () => {});\nsetInterval(() => {}, 1000);\n",
      );
      await runCli(['tasks', 'add', 'stubborn', '--shell', `node ${join(dir, 'stubborn.cjs')}`], { env });
      const pane = tmux([...NODE_CLI, 'run'], env);
      await pane.waitFor((s) => /^\s+stubborn\s+\d+s\s+attempt 1$/m.test(s), 'the footer with the task');
      pane.sendKeys('C-c');
      await pane.waitFor((s) => /stopping: waiting for 1 task to stop/.test(s), 'the stopping footer');
      pane.sendKeys('C-c');
      await pane.waitFor(() => pane.exitStatus() !== null, 'the forced exit');
      expect(pane.exitStatus()).toBe(130);
      expect(pane.everything()).not.toMatch(/slots in use|attempt 1$/m);
      expect(pane.cursorVisible()).toBe(true);
    });

    it('run piped (| cat) prints no footer and no escape codes, even with stderr on the terminal', async () => {
      const dir = tempDir();
      const env = fastEnv(join(dir, 'state'));
      const out = join(dir, 'out.txt');
      await runCli(['tasks', 'add', 'quick', '--shell', 'node --version'], { env });
      // The script is fixed; the paths and the command reach it as arguments.
      const pipe = ['sh', '-c', 'out=$1; shift; "$@" | cat > "$out"', 'sh', out];
      const pane = tmux([...pipe, ...NODE_CLI, 'run', '--until-idle'], env);
      await pane.waitFor(() => pane.exitStatus() !== null, 'the end of the run');
      expect(pane.exitStatus()).toBe(0);
      const piped = readFileSync(out, 'utf8');
      expect(piped).toMatch(/codex-monitor status at \S+: 1 done/);
      expect(piped).not.toContain('\u001b');
      expect(piped).not.toMatch(/slots in use/);
      expect(pane.everything()).not.toMatch(/slots in use/);
    });
  },
);
