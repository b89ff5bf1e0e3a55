import { VARIABLES } from './variables.js';

/** Prefixes of our variables: a name with one of these that we do not know may be a typo. */
const OUR_PREFIXES = ['CODEX_MONITOR_', 'SHARED_STATE_', 'GITHUB_', 'EXECUTOR_', 'MAX_'];

/**
 * Variables other tools set (GitHub Actions, the gh CLI) that happen to sit near ours: never
 * a typo of ours. GitHub Actions sets many GITHUB_* variables in every job.
 */
const FOREIGN = new Set([
  'GITHUB_ACTION',
  'GITHUB_ACTIONS',
  'GITHUB_ACTION_PATH',
  'GITHUB_ACTION_REF',
  'GITHUB_ACTION_REPOSITORY',
  'GITHUB_ACTOR',
  'GITHUB_ACTOR_ID',
  'GITHUB_BASE_REF',
  'GITHUB_ENV',
  'GITHUB_EVENT_NAME',
  'GITHUB_EVENT_PATH',
  'GITHUB_GRAPHQL_URL',
  'GITHUB_HEAD_REF',
  'GITHUB_JOB',
  'GITHUB_OUTPUT',
  'GITHUB_PATH',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_REF_PROTECTED',
  'GITHUB_REF_TYPE',
  'GITHUB_REPOSITORY_ID',
  'GITHUB_REPOSITORY_OWNER',
  'GITHUB_REPOSITORY_OWNER_ID',
  'GITHUB_RETENTION_DAYS',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_NUMBER',
  'GITHUB_SERVER_URL',
  'GITHUB_SHA',
  'GITHUB_STATE',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_TRIGGERING_ACTOR',
  'GITHUB_WORKFLOW',
  'GITHUB_WORKFLOW_REF',
  'GITHUB_WORKFLOW_SHA',
  'GITHUB_WORKSPACE',
  'GITHUB_PAT',
  'GITHUB_USER',
  'GITHUB_ENTERPRISE_TOKEN',
]);

/** A typo is at most this many single-character edits away from a name we know. */
const MAX_DISTANCE = 2;

/**
 * Warnings for variable names that look like misspellings of ours ("MAX_PARALEL" → did you
 * mean MAX_PARALLEL?): a setting silently ignored is worse than a warning. Names that are
 * merely unknown are left alone — the environment holds many variables of other programs.
 */
export function misspelledVariables(names: Iterable<string>): string[] {
  const known = VARIABLES.map((v) => v.name as string);
  const knownSet = new Set(known);
  const warnings: string[] = [];
  for (const name of names) {
    if (knownSet.has(name) || FOREIGN.has(name)) continue;
    if (!OUR_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    let best: { name: string; distance: number } | null = null;
    for (const candidate of known) {
      const distance = editDistance(name, candidate, MAX_DISTANCE);
      if (distance <= MAX_DISTANCE && (best === null || distance < best.distance)) {
        best = { name: candidate, distance };
      }
    }
    if (best)
      warnings.push(`${name} is not a codex-monitor variable and is ignored; did you mean ${best.name}?`);
  }
  return warnings;
}

/** Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      rowMin = Math.min(rowMin, current[j]!);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}
