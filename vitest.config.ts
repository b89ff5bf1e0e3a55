import { defineConfig } from 'vitest/config';

/**
 * The projects that spawn the CLI build it first (into .test-build/, reused while src/ is
 * unchanged) and spawn the build: half the CPU of a spawn through tsx. CLI_FROM_SOURCE=1 runs
 * the source instead (tests/support/cli.ts).
 */
const buildCli = ['tests/support/cli-build.ts'];

export default defineConfig({
  test: {
    // Real processes and real SQLite files: give slow shared CI machines room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest groups projects by worker count and runs the groups one after another; its default
    // on two cores is one worker. The unit and CLI projects take two (one group), the processes
    // project one: about a fifth off CI's wall time, without sharing a core with a fleet test.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          maxWorkers: 2,
          // The Board contract runs in-process (real SQLite, the fake over real HTTP, time moved
          // by the test's clock): cheap enough to run beside the unit tests.
          include: [
            'src/**/*.test.ts',
            'tests/github-fake/**/*.test.ts',
            'tests/github/**/*.test.ts',
            'tests/contract/**/*.test.ts',
            // The Jira board against the Jira fake over real HTTP.
            'tests/jira/**/*.test.ts',
            // Real git servers (file:// and smart HTTP): many git processes, no timing to starve.
            'tests/git-server/**/*.test.ts',
            'tests/ledger/**/*.test.ts',
            'tests/notify/**/*.test.ts',
          ],
        },
      },
      {
        // The CLI in child processes: daemons here keep stale thresholds of minutes (the
        // defaults, or two minutes in status-fleet), so a busy second core cannot starve a
        // heartbeat into a takeover. A test with seconds-long thresholds belongs in 'processes'.
        extends: true,
        test: {
          name: 'cli',
          maxWorkers: 2,
          globalSetup: buildCli,
          include: ['tests/cli/**/*.test.ts'],
        },
      },
      {
        // Tests that start fleets of daemon processes with heartbeats and stale thresholds of
        // a few seconds: one file at a time, so a 2-core machine never starves a heartbeat
        // into a takeover the test did not ask for.
        extends: true,
        test: {
          name: 'processes',
          globalSetup: buildCli,
          include: [
            'tests/state/**/*.test.ts',
            'tests/daemon/**/*.test.ts',
            'tests/github-board/**/*.test.ts',
            'tests/fleet/**/*.test.ts',
            'tests/browser/**/*.test.ts',
          ],
          fileParallelism: false,
        },
      },
    ],
  },
});
