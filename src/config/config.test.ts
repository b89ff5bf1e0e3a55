import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadConfig } from './config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { cwd: '/work', host: 'ws1' });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the original codex-monitor defaults', () => {
    const config = loadConfig({}, { cwd: '/work', host: 'ws1' });
    expect(config.sharedState).toMatchObject({
      enabled: true,
      heartbeatIntervalMs: 60_000,
      staleThresholdMs: 300_000,
      renewDeadlineMs: 180_000,
      maxRetries: 3,
      ownerStaleTtlMs: 600_000,
    });
    expect(config.ownerId).toBe('ws1/any');
    expect(config.stateDir).toBe('/work/.codex-monitor');
    expect(config.github).toEqual({
      token: undefined,
      tokenSource: undefined,
      app: undefined,
      repository: undefined,
      apiUrl: 'https://api.github.com',
      paceWrites: true,
      fullResyncMs: 600_000,
      taskLabels: [],
      trustedAssociations: ['OWNER', 'MEMBER', 'COLLABORATOR'],
      priorityLabels: { 'priority:high': 10, 'priority:low': -10 },
    });
  });

  it('parses given values into typed fields', () => {
    const config = loadConfig(
      {
        MAX_PARALLEL: ' 4 ',
        CODEX_MONITOR_AGENT: 'codex',
        GITHUB_REPOSITORY: 'acme/widgets',
        GITHUB_TOKEN: 'ghp_x',
        GITHUB_API_URL: 'http://127.0.0.1:9999/api/',
        CODEX_MONITOR_STATE_DIR: '/var/lib/cm',
        EXECUTOR: 'noop',
        CODEX_MONITOR_TASK_LABELS: 'codex, ready-for-agent',
        CODEX_MONITOR_PRIORITY_LABELS: 'p0=100, p1=50',
      },
      { cwd: '/work', host: 'ws1' },
    );
    expect(config.maxParallel).toBe(4);
    expect(config.ownerId).toBe('ws1/codex');
    expect(config.github).toMatchObject({
      repository: { owner: 'acme', repo: 'widgets' },
      apiUrl: 'http://127.0.0.1:9999/api',
    });
    expect(config.stateDir).toBe('/var/lib/cm');
    expect(config.github.taskLabels).toEqual(['codex', 'ready-for-agent']);
    expect(config.github.priorityLabels).toEqual({ p0: 100, p1: 50 });
  });

  it('needs a command for the shell executor on the GitHub board', () => {
    const github = { GITHUB_REPOSITORY: 'acme/widgets', GITHUB_TOKEN: 't' };
    expect(problems(github)).toEqual([
      expect.stringMatching(/^EXECUTOR=shell on the GitHub board needs EXECUTOR_COMMAND/),
    ]);
    expect(problems({ ...github, EXECUTOR_COMMAND: 'npm run agent' })).toEqual([]);
    expect(problems({ ...github, EXECUTOR: 'codex' })).toEqual([]);
  });

  it('accepts the agent presets and a custom preset, naming EXECUTOR_COMMAND/EXECUTOR_PROMPT when malformed', () => {
    const github = { GITHUB_REPOSITORY: 'acme/widgets', GITHUB_TOKEN: 't' };
    for (const preset of ['gemini', 'opencode', 'aider']) {
      expect(problems({ ...github, EXECUTOR: preset })).toEqual([]);
      expect(loadConfig({ EXECUTOR: preset }, { cwd: '/work' }).workspace.mode).toBe('worktree');
    }
    expect(problems({ ...github, EXECUTOR: 'custom' })).toEqual([
      expect.stringMatching(
        /^EXECUTOR=custom needs EXECUTOR_COMMAND.*e\.g\. EXECUTOR_COMMAND='my-agent --non-interactive'.*EXECUTOR_PROMPT=file-flag:--message-file/,
      ),
    ]);
    const custom = loadConfig(
      { ...github, EXECUTOR: 'custom', EXECUTOR_COMMAND: 'my-agent -q', EXECUTOR_PROMPT: 'file-flag:--in=' },
      { cwd: '/work' },
    );
    expect(custom.executor).toMatchObject({
      kind: 'custom',
      command: 'my-agent -q',
      prompt: 'file-flag:--in=',
    });
    expect(loadConfig({ EXECUTOR: 'custom', EXECUTOR_COMMAND: 'a' }, { cwd: '/work' }).executor.prompt).toBe(
      'stdin',
    );
    expect(
      problems({ ...github, EXECUTOR: 'custom', EXECUTOR_COMMAND: 'a', EXECUTOR_PROMPT: 'file' }),
    ).toEqual([
      'EXECUTOR_PROMPT="file": expected stdin or file-flag:<flag> (e.g. EXECUTOR_PROMPT=file-flag:--message-file)',
    ]);
    expect(problems({ EXECUTOR: 'cursor' })).toEqual([
      expect.stringMatching(/^EXECUTOR="cursor": expected one of .*gemini, opencode, aider, custom$/),
    ]);
  });

  it('hands the executor problem to onExecutorProblem (doctor) instead of refusing', () => {
    const found: string[] = [];
    const config = loadConfig(
      { GITHUB_REPOSITORY: 'acme/widgets', GITHUB_TOKEN: 't' },
      { cwd: '/work', onExecutorProblem: (p) => found.push(p) },
    );
    expect(found).toEqual([expect.stringMatching(/needs EXECUTOR_COMMAND.*For example EXECUTOR_COMMAND=/)]);
    expect(config.executor).toMatchObject({ kind: 'shell', command: undefined });
    // Other problems still refuse the configuration.
    expect(() =>
      loadConfig({ GITHUB_REPOSITORY: 'acme/widgets', MAX_PARALLEL: '0' }, { onExecutorProblem: () => {} }),
    ).toThrow(ConfigError);
  });

  it('takes a fallback token (gh auth token) only on GitHub without GITHUB_TOKEN or an app', () => {
    let asked = 0;
    const fallbackToken = () => {
      asked++;
      return ' gho_fallback\n';
    };
    const base = { GITHUB_REPOSITORY: 'acme/widgets', EXECUTOR: 'noop' };
    const fromGh = loadConfig(base, { cwd: '/work', fallbackToken });
    expect(fromGh.github).toMatchObject({ token: 'gho_fallback', tokenSource: 'gh auth token' });
    const own = loadConfig({ ...base, GITHUB_TOKEN: 'ghp_own' }, { cwd: '/work', fallbackToken });
    expect(own.github).toMatchObject({ token: 'ghp_own', tokenSource: 'GITHUB_TOKEN' });
    expect(loadConfig({}, { cwd: '/work', fallbackToken }).github.token).toBeUndefined();
    expect(asked).toBe(1);
    // No token from gh either: the usual refusal, which now names gh.
    expect(() => loadConfig(base, { cwd: '/work', fallbackToken: () => undefined })).toThrow(/gh auth login/);
  });

  it('reports every bad value at once, naming the variable, the value and the form expected', () => {
    const found = problems({
      SHARED_STATE_MAX_RETRIES: 'three',
      MAX_PARALLEL: '0',
      LOG_LEVEL: 'loud',
      GITHUB_REPOSITORY: 'nope',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'SHARED_STATE_MAX_RETRIES="three": expected a whole number from 0 to 1000',
        'MAX_PARALLEL="0": expected a whole number from 1 to 256',
        'LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
        'GITHUB_REPOSITORY="nope": expected owner/name, for example acme/widgets',
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it('rejects a heartbeat interval that is not well below the stale threshold', () => {
    // The original shipped them equal: live tasks looked stale between renewals.
    const found = problems({ SHARED_STATE_HEARTBEAT_INTERVAL_MS: '300000' });
    expect(found[0]).toMatch(
      /HEARTBEAT_INTERVAL_MS=300000 must be at most half of SHARED_STATE_STALE_THRESHOLD_MS=300000/,
    );
    expect(
      problems({ SHARED_STATE_HEARTBEAT_INTERVAL_MS: '150000', SHARED_STATE_RENEW_DEADLINE_MS: '200000' }),
    ).toEqual([]);
  });

  it('checks the renew deadline, owner TTL, backoff bounds and the GitHub pair', () => {
    const found = problems({
      SHARED_STATE_RENEW_DEADLINE_MS: '400000',
      TASK_CLAIM_OWNER_STALE_TTL_MS: '1000',
      SHARED_STATE_BACKOFF_BASE_MS: '5000',
      SHARED_STATE_BACKOFF_MAX_MS: '10',
      GITHUB_REPOSITORY: 'acme/widgets',
      EXECUTOR: 'noop',
    });
    expect(found.map((p) => p.split(/[=\s]/)[0])).toEqual([
      'SHARED_STATE_RENEW_DEADLINE_MS',
      'TASK_CLAIM_OWNER_STALE_TTL_MS',
      'SHARED_STATE_BACKOFF_MAX_MS',
      'GITHUB_REPOSITORY',
    ]);
  });

  it('says what to fix in one message', () => {
    expect(() => loadConfig({ MAX_PARALLEL: 'many', POLL_INTERVAL_MS: '-5' })).toThrow(
      /Invalid configuration \(2 problems\):\n {2}- MAX_PARALLEL="many".*\n {2}- POLL_INTERVAL_MS="-5"/,
    );
  });
});

describe('EXECUTOR_ENV_PASSTHROUGH', () => {
  it('lists names passed on to attempts, and refuses the daemon’s own GitHub credential', () => {
    const config = loadConfig({ EXECUTOR_ENV_PASSTHROUGH: 'OPENAI_API_KEY, CLAUDE_CODE_OAUTH_TOKEN' });
    expect(config.executor.envPassthrough).toEqual(['OPENAI_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN']);
    expect(loadConfig({}).executor.envPassthrough).toEqual([]);
    expect(problems({ EXECUTOR_ENV_PASSTHROUGH: 'OPENAI_API_KEY,GITHUB_TOKEN' })).toEqual([
      expect.stringMatching(
        /^EXECUTOR_ENV_PASSTHROUGH names GITHUB_TOKEN, the daemon's own GitHub credential: remove it/,
      ),
    ]);
    expect(problems({ EXECUTOR_ENV_PASSTHROUGH: 'OPENAI_API_KEY;rm' })).toEqual([
      'EXECUTOR_ENV_PASSTHROUGH="OPENAI_API_KEY;rm": expected a comma-separated list of environment variable names',
    ]);
  });
});

describe('bounds and settings that cannot be ignored', () => {
  // Node fires a timer longer than 2^31-1 ms after 1 ms: a heartbeat storm, a busy poll, a
  // shutdown failsafe firing at once. Every duration is bounded, and the message says how.
  it.each([
    'SHARED_STATE_HEARTBEAT_INTERVAL_MS',
    'SHARED_STATE_STALE_THRESHOLD_MS',
    'SHARED_STATE_RENEW_DEADLINE_MS',
    'SHARED_STATE_BACKOFF_BASE_MS',
    'SHARED_STATE_BACKOFF_MAX_MS',
    'TASK_CLAIM_OWNER_STALE_TTL_MS',
    'EXECUTOR_TIMEOUT_MS',
    'EXECUTOR_KILL_GRACE_MS',
  ])('refuses %s above 2^31-1 ms, naming the variable, the value and the range', (name) => {
    const found = problems({ [name]: '2147483648' });
    expect(found).toContain(
      `${name}="2147483648": expected a whole number of milliseconds from ${name.endsWith('TTL_MS') ? 1000 : /HEARTBEAT|RENEW|TIMEOUT/.test(name) ? 100 : /STALE/.test(name) ? 500 : 0} to 2147483647 ms (about 24.9 days), the longest a timer can wait`,
    );
  });

  it.each(['POLL_INTERVAL_MS', 'LOCAL_POLL_INTERVAL_MS', 'SHUTDOWN_GRACE_MS', 'ISSUE_FULL_RESYNC_MS'])(
    'keeps %s within a day (jitter and the shutdown failsafe add to it)',
    (name) => {
      expect(problems({ [name]: '86400001' })[0]).toMatch(
        new RegExp(
          `^${name}="86400001": expected a whole number of milliseconds from \\d+ to 86400000 ms \\(about 1 days\\)$`,
        ),
      );
      expect(problems({ [name]: '86400000' })).toEqual([]);
    },
  );

  it('accepts the largest timer duration', () => {
    expect(
      problems({
        SHARED_STATE_STALE_THRESHOLD_MS: '2147483647',
        TASK_CLAIM_OWNER_STALE_TTL_MS: '2147483647',
        EXECUTOR_TIMEOUT_MS: '2147483647',
      }),
    ).toEqual([]);
  });

  it('bounds the event log settings', () => {
    expect(problems({ EVENT_LOG_RETENTION_DAYS: '99999999999', EVENT_LOG_MAX_EVENTS: '1e12' })).toEqual([
      'EVENT_LOG_MAX_EVENTS="1e12": expected a whole number from 100 to 1000000000',
      'EVENT_LOG_RETENTION_DAYS="99999999999": expected a whole number of days from 1 to 36500',
    ]);
  });

  it('refuses SHARED_STATE_ENABLED=false rather than ignoring it', () => {
    expect(problems({ SHARED_STATE_ENABLED: 'no' })).toEqual([
      expect.stringMatching(/^SHARED_STATE_ENABLED=false is not supported: .*claim atomic.*set it to true$/),
    ]);
    expect(problems({ SHARED_STATE_ENABLED: 'true' })).toEqual([]);
  });
});

describe('credentials in GITHUB_API_URL', () => {
  it('are refused, and the message does not repeat them', () => {
    const found = problems({ GITHUB_API_URL: 'http://u:s3cretpw@127.0.0.1:9/api' });
    expect(found).toEqual([
      'GITHUB_API_URL="http://***@127.0.0.1:9/api": expected an http(s) URL without a user name or password (the token goes in GITHUB_TOKEN)',
    ]);
    expect(problems({ GITHUB_API_URL: 'http://u:s3cretpw@not a url' }).join()).not.toContain('s3cretpw');
  });
});
