import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * tmux gives the CLI a real terminal (a pty, 120×40) whose screen and scrollback a test can
 * read: what a person sees, escape codes applied. CI installs it (.ci/run); where it is truly
 * absent the tests using it are skipped with this reason.
 */
export const TMUX_MISSING =
  spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0
    ? null
    : 'tmux is not installed (apt-get install tmux)';

export interface TmuxPane {
  /** The visible screen, trailing blank lines dropped. */
  screen(): string;
  /** Everything: the scrollback, then the screen. */
  everything(): string;
  /** Lines scrolled off the top so far. */
  historySize(): number;
  /** The command's exit status once it ended, else null. */
  exitStatus(): number | null;
  /** Whether the terminal shows its cursor (a program may hide it while it redraws). */
  cursorVisible(): boolean;
  sendKeys(...keys: string[]): void;
  /** Polls the screen until `test` passes (rejects after `timeoutMs`, naming what it saw). */
  waitFor(test: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
}

/** Starts panes on a server of their own (a unique socket), killed after each test. */
export function useTmux(): (argv: string[], env: Record<string, string>, cwd?: string) => TmuxPane {
  const sockets: string[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) {
      // A command still running (a test that failed early) gets SIGHUP with the server and may
      // take its grace to stop: wait for it, or it writes into a temp dir being removed.
      const shell = spawnSync('tmux', ['-L', socket, 'display', '-p', '#{pane_pid}'], { encoding: 'utf8' });
      const children = spawnSync('pgrep', ['-P', shell.stdout.trim() || '0'], { encoding: 'utf8' });
      spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
      rmSync(confFile(socket), { force: true });
      for (const pid of (children.stdout ?? '').split('\n').filter(Boolean).map(Number)) await gone(pid);
    }
  });
  return (argv, env, cwd = process.cwd()) => {
    const socket = `cm-test-${randomUUID().slice(0, 8)}`;
    sockets.push(socket);
    // Our own configuration, not the user's.
    const conf = confFile(socket);
    writeFileSync(conf, 'set -g history-limit 10000\n');
    const childEnv: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', ...env };
    // As runCli: a clean configuration (no GitHub credentials of whoever runs the tests).
    for (const key of Object.keys(childEnv)) if (key.startsWith('GITHUB_') && !env[key]) delete childEnv[key];
    const tmux = (...args: string[]) =>
      execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: childEnv });
    // The command is given as argv (tmux runs it without a shell); the environment reaches it
    // because this call starts the server.
    // bash runs it and stays: the terminal state the command left (the cursor) can be read after
    // it ended (a dead pane hides the cursor), and its exit status shows on the screen. Ctrl-C
    // reaches bash too: its trap (a handler, which the command does not inherit, unlike an
    // ignored signal) keeps it alive.
    const stay = ['bash', '-c', 'trap : INT; "$@"; echo "[exited $?]"; exec sleep 3600', 'bash'];
    tmux('-f', conf, 'new-session', '-d', '-x', '120', '-y', '40', '-c', cwd, '--', ...stay, ...argv);
    const pane: TmuxPane = {
      screen: () => tmux('capture-pane', '-p').trimEnd(),
      everything: () => tmux('capture-pane', '-p', '-S', '-', '-E', '-').trimEnd(),
      historySize: () => Number(tmux('display', '-p', '#{history_size}').trim()),
      exitStatus: () => {
        const status = /\[exited (\d+)\]$/m.exec(pane.everything());
        return status ? Number(status[1]) : null;
      },
      cursorVisible: () => tmux('display', '-p', '#{cursor_flag}').trim() === '1',
      sendKeys: (...keys) => void tmux('send-keys', ...keys),
      async waitFor(test, what, timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const screen = pane.screen();
          if (test(screen)) return screen;
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
    };
    return pane;
  };
}

const confFile = (socket: string) => join(tmpdir(), `${socket}.conf`);

/** Resolves once `pid` has exited (bounded: a hung one is killed after 10 s). */
async function gone(pid: number): Promise<void> {
  for (let waited = 0; ; waited += 50) {
    try {
      process.kill(pid, waited >= 10_000 ? 'SIGKILL' : 0);
    } catch {
      return; // ESRCH: gone
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
