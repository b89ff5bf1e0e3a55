/**
 * npm run docs:screenshots [-- page…]
 *
 * The README's pictures of the dashboard: a demo daemon (`run --serve`, local board, a temporary
 * state directory) with tasks in every state — done, done on a second attempt, poisoned,
 * running, queued, blocked — photographed by headless Chromium (Debian's, as the browser tests
 * use it) at 1280×800 into docs/images/dashboard-<page>.png. Arguments choose pages (default all).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { launchChromium } from '../tests/support/chromium.js';
import { runCli } from '../tests/support/cli.js';
import { fastEnv } from '../tests/support/daemons.js';
import { type ServeProcess, startListening } from '../tests/support/serve-process.js';

/** The pictures: one line per page. */
const PAGES: { name: string; path: string }[] = [
  { name: 'fleet', path: '/' },
  { name: 'task', path: '/tasks/migrate-db' },
  { name: 'charts', path: '/charts' },
];

const OUT = new URL('../docs/images/', import.meta.url).pathname;
const GATE = new URL('../tests/fixtures/gate.mjs', import.meta.url).pathname;
const OWNER = 'alice-laptop/codex';

/** Fails its first run (leaving a flag file), passes the next: a task done on its second attempt. */
const ONCE = `import { existsSync, writeFileSync } from 'node:fs';
const flag = process.argv[2];
if (!existsSync(flag)) { writeFileSync(flag, ''); console.error('connection refused: db:5432'); process.exit(1); }
setTimeout(() => console.log('3 migrations applied'), 2000);`;
const FAILS = `console.error('3 of 120 tests failed: checkout flow'); process.exit(1);`;

const wanted = process.argv.slice(2);
const pages = wanted.length ? PAGES.filter((p) => wanted.includes(p.name)) : PAGES;
if (pages.length !== wanted.length && wanted.length) {
  console.error(`unknown page: choose among ${PAGES.map((p) => p.name).join(', ')}`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-screenshots-'));
const gates = join(dir, 'gates');
mkdirSync(gates);
writeFileSync(join(dir, 'once.mjs'), ONCE);
writeFileSync(join(dir, 'fails.mjs'), FAILS);
const env = fastEnv(join(dir, 'state'), { SHARED_STATE_MAX_RETRIES: '2', CODEX_MONITOR_OWNER_ID: OWNER });
const shell = (cmd: string) => ({ kind: 'shell', cmd });
const dag = (name: string, tasks: object[]) => {
  const file = join(dir, name);
  writeFileSync(file, stringify(tasks));
  return file;
};

let daemon: ServeProcess | undefined;
try {
  // First what is over: done, done on a second attempt, poisoned after two failures.
  const history = dag('history.yaml', [
    { id: 'setup', title: 'Prepare the workspace', payload: { kind: 'noop', duration: '1s' } },
    {
      id: 'migrate-db',
      title: 'Migrate the database schema',
      deps: ['setup'],
      payload: shell(`node ${join(dir, 'once.mjs')} ${join(dir, 'migrated')}`),
    },
    { id: 'e2e-tests', title: 'End-to-end tests', payload: shell(`node ${join(dir, 'fails.mjs')}`) },
  ]);
  const first = await runCli(['run', '--seed', history, '--until-idle', '--parallel', '2'], { env });
  if (first.code !== 1) throw new Error(`the first run should end with a poisoned task:\n${first.stderr}`);

  // Then what is on: two running (until the end), two queued behind them, one blocked.
  const gated = shell(`node ${GATE} ${gates}`);
  const now = dag('now.yaml', [
    { id: 'build-api', title: 'Build the API server', priority: 50, payload: gated },
    { id: 'write-docs', title: 'Write the user guide', priority: 40, payload: gated },
    { id: 'lint', title: 'Lint the code', priority: 10, payload: { kind: 'noop' } },
    { id: 'bench', title: 'Run the benchmarks', priority: 5, payload: { kind: 'noop' } },
    { id: 'release', title: 'Tag a release', deps: ['build-api', 'lint'], payload: { kind: 'noop' } },
  ]);
  daemon = await startListening(['run', '--serve', '--seed', now, '--parallel', '2'], env);
  const url = daemon.url;
  for (;;) {
    const status = (await (await fetch(`${url}/api/status`)).json()) as { running: { id: string }[] };
    if (status.running.length === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Running for a few seconds reads better than "0s".
  await new Promise((resolve) => setTimeout(resolve, 3000));

  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium({ width: 1280, height: 800 });
  try {
    const { page, errors } = await browser.newPage();
    for (const { name, path } of pages) {
      const answer = await page.goto(`${url}${path}`, { waitUntil: 'load' });
      if (answer?.status() !== 200) throw new Error(`${path} answered ${answer?.status()}`);
      const file = join(OUT, `dashboard-${name}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
    }
    if (errors.length) throw new Error(`the pages raised script errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
  }
} finally {
  for (const id of ['build-api', 'write-docs']) writeFileSync(join(gates, id), '');
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
}
