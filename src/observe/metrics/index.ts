export { ATTEMPT_OUTCOMES, type AttemptOutcome, attemptOutcome } from './event-counters.js';
export { type GitHubBudgetReading, githubBudget } from './github-budget.js';
export { routeTemplate } from './github-route.js';
export { metricsHandler } from './handler.js';
export { localSources } from './local-sources.js';
export {
  createMetrics,
  type GitHubResponseInfo,
  type Heartbeats,
  type Metrics,
  type MetricsSources,
  type TaskCounts,
} from './metrics.js';
