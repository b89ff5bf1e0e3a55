/** The shape of a fleet run: how many daemons, issues and faults, and how fast. */
export interface FleetParams {
  daemons: number;
  slots: number;
  issues: number;
  killFraction: number;
  pauseFraction: number;
  /** Daemons whose process alone is SIGKILLed (their executors left running), restarted at once. */
  killDaemonOnly: number;
  /** Daemons sent SIGHUP (a closed terminal), restarted a moment later. */
  hup: number;
  /** Daemons whose wall clock is an hour ahead. */
  skewed: number;
  staleThresholdMs: number;
  heartbeatMs: number;
  pollMs: number;
  taskMs: [number, number];
  latencyMs: number;
  latencyJitterMs: number;
  readLagMs: number;
  lostResponseRate: number;
  /** Per daemon token: content-creating requests per minute / hour (GitHub: 80 / 500). */
  secondaryPerMinute: number;
  secondaryPerHour: number;
  deadlineMs: number;
  seed: number;
  /** Pace writes as the daemon does in production (≥ 1 s apart per daemon). */
  paceWrites: boolean;
  /**
   * Deliver: a clone per daemon, a worktree per attempt and an agent that edits files, so each
   * completed issue ends in a branch pushed to the fake's bare repository and a pull request.
   */
  deliver: boolean;
  /** The claim ledger's transport: GitHub's REST API, or git pushes to the fake's bare repository. */
  ledger: 'rest' | 'git';
}

export const DEFAULT_FLEET: FleetParams = {
  daemons: 8,
  slots: 3,
  issues: 300,
  killFraction: 0.1,
  pauseFraction: 0.05,
  killDaemonOnly: 1,
  hup: 1,
  skewed: 1,
  // Heartbeats are paced, content-creating writes like any other: every 5 s they take 2 of
  // each second's write and 24 of a token's 80 creations a minute; the work takes the rest.
  staleThresholdMs: 20_000,
  heartbeatMs: 5000,
  pollMs: 1000,
  taskMs: [1000, 3000],
  latencyMs: 10,
  latencyJitterMs: 40,
  readLagMs: 300,
  lostResponseRate: 0.02,
  secondaryPerMinute: 80,
  secondaryPerHour: 500,
  deadlineMs: 20 * 60_000,
  seed: 1,
  paceWrites: true,
  deliver: false,
  ledger: 'rest',
};
