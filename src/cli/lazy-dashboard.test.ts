import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/** prom-client is CommonJS: once anything imports it, Node's require cache holds it. */
const promClientLoaded = () =>
  Object.keys(createRequire(import.meta.url).cache).some((file) => /[\\/]prom-client[\\/]/.test(file));

describe('the command tree', () => {
  it('loads the dashboard (hono, prom-client) only when a command serves: ~5 MB of RSS otherwise', async () => {
    const { buildProgram } = await import('./program.js');
    buildProgram();
    expect(promClientLoaded()).toBe(false);
    await import('./serve/daemon-server.js');
    expect(promClientLoaded()).toBe(true); // the probe sees it when it is there
  });
});
