/**
 * `npm run fake-github -- --port 0 [--seed repo.json] [--token t]... [--tokens-file tokens.json]
 *  [--apps-file apps.json] [--primary-limit n]
 *  [--secondary-per-minute n] [--secondary-per-hour n] [--rng-seed n] [--git-root dir]`
 * Prints the base URL on one line, then serves until SIGINT/SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type FakeApp, type FakeGitHubOptions, startFakeGitHub } from './index.js';
import type { SeedData } from './model/seed.js';
import type { TokenProfile } from './types.js';

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      seed: { type: 'string' },
      token: { type: 'string', multiple: true },
      'tokens-file': { type: 'string' },
      'apps-file': { type: 'string' },
      'primary-limit': { type: 'string' },
      'secondary-per-minute': { type: 'string' },
      'secondary-per-hour': { type: 'string' },
      'rng-seed': { type: 'string' },
      'git-root': { type: 'string' },
    },
  });
  const opts: FakeGitHubOptions = {
    port: int('port', values.port),
    primaryLimit: int('primary-limit', values['primary-limit']),
    secondaryPerMinute: int('secondary-per-minute', values['secondary-per-minute']),
    secondaryPerHour: int('secondary-per-hour', values['secondary-per-hour']),
    rngSeed: int('rng-seed', values['rng-seed']),
    ...(values['git-root'] ? { gitRoot: values['git-root'] } : {}),
  };
  if (values.seed) opts.seed = JSON.parse(await readFile(values.seed, 'utf8')) as SeedData;
  if (values.token) opts.tokens = values.token.map((token) => ({ token }));
  if (values['tokens-file']) {
    const profiles = JSON.parse(await readFile(values['tokens-file'], 'utf8')) as TokenProfile[];
    opts.tokens = [...(opts.tokens ?? []), ...profiles];
  }
  if (values['apps-file']) opts.apps = JSON.parse(await readFile(values['apps-file'], 'utf8')) as FakeApp[];
  const fake = await startFakeGitHub(opts);
  console.log(fake.url);

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1); // a second signal forces
    stopping = true;
    fake.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
