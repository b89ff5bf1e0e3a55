import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { startListening } from '../support/serve-process.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** GET /healthz until it answers 200 (the daemon's first cycle and heartbeat come soon after start). */
async function healthy(url: string): Promise<{ ok: boolean; detail?: string }> {
  for (;;) {
    const response = await fetch(`${url}/healthz`);
    const body = (await response.json()) as { ok: boolean; detail?: string; reason?: string };
    if (response.status === 200) return body;
    expect(response.status).toBe(503);
    expect(body.reason).toEqual(expect.any(String));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('codex-monitor run --serve', () => {
  it('answers /healthz and /api/status while the daemon runs; the port is closed after it stops', async () => {
    const env = fastEnv(tempDir());
    expect((await runCli(['tasks', 'add', 'long', '--duration', '60s'], { env })).code).toBe(0);
    const daemon = await startListening(['run', '--serve'], env);
    try {
      expect(await healthy(daemon.url)).toMatchObject({
        ok: true,
        detail: expect.stringContaining('heartbeat'),
      });
      // The running task shows on the fleet page of the daemon's own server.
      for (;;) {
        const status = (await (await fetch(`${daemon.url}/api/status`)).json()) as {
          running: { id: string }[];
        };
        if (status.running.some((t) => t.id === 'long')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await (await fetch(`${daemon.url}/`)).text()).toContain('href="/tasks/long"');
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
    await expect(fetch(`${daemon.url}/healthz`)).rejects.toThrow();
  });
});
