import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import type { TaskView } from '../../state/tasks/task-rows.js';
import { executorCheck, localTaskChecks } from './doctor-local.js';

const where = { path: dirname(process.execPath), cwd: '/' };
const config = (env: Record<string, string>) =>
  loadConfig({ GITHUB_REPOSITORY: 'acme/widgets', GITHUB_TOKEN: 't', ...env }, { cwd: '/w' });

describe('doctor: the executor and the programs tasks start', () => {
  it("checks a custom preset's program, and names EXECUTOR_COMMAND when it does not parse", () => {
    const ok = executorCheck(
      config({ EXECUTOR: 'custom', EXECUTOR_COMMAND: 'node agent.mjs', EXECUTOR_ALLOWLIST: 'node' }),
      undefined,
      where,
    );
    expect(ok).toMatchObject({
      name: 'executor (EXECUTOR=custom)',
      ok: true,
      detail: expect.stringMatching(/^node is /),
    });
    const bad = executorCheck(
      config({ EXECUTOR: 'custom', EXECUTOR_COMMAND: "node 'open" }),
      undefined,
      where,
    );
    expect(bad).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^EXECUTOR_COMMAND: Invalid command line/),
    });
  });

  it("checks an mcp-call task's server program against the allow-list", () => {
    const task = {
      payload: { kind: 'mcp-call', server: 'uvx mcp-server-git', tool: 'git_status' },
    } as TaskView;
    const checks = localTaskChecks(config({ EXECUTOR: 'noop', EXECUTOR_ALLOWLIST: 'node' }), [task], where);
    expect(checks.at(-1)).toMatchObject({
      name: 'task program uvx',
      ok: false,
      detail: expect.stringMatching(/^program "uvx" is not in EXECUTOR_ALLOWLIST/),
    });
  });
});
