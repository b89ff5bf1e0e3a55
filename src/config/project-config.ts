import type { VariableName } from './variables.js';

/** The states a card follows (what PROJECT_STATUS_MAP maps; boards/github/project/project-state.ts). */
export const PROJECT_STATES = ['claimed', 'review', 'done', 'poisoned'] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];

/** GITHUB_PROJECT and its settings, as configured; undefined without GITHUB_PROJECT. */
export interface ProjectConfig {
  /** The project's owner login; null: the repository's owner. */
  owner: string | null;
  number: number;
  statusField: string;
  /** Option name per state; a state left out leaves the card alone. */
  statusMap: Partial<Record<ProjectState, string>>;
  readyStatus: string | undefined;
}

/** Parses GITHUB_PROJECT: a number, or an org/user project URL (a view URL is accepted too). */
export function parseProjectRef(value: string): { owner: string | null; number: number } | null {
  if (/^\d+$/.test(value)) return { owner: null, number: Number(value) };
  const m = /^https:\/\/[^/]+\/(?:orgs|users)\/([^/]+)\/projects\/(\d+)(?:\/|$)/.exec(value);
  return m ? { owner: m[1]!, number: Number(m[2]) } : null;
}

/** Parses PROJECT_STATUS_MAP; each problem names the pair and what to do. */
export function parseStatusMap(value: string, problems: string[]): Partial<Record<ProjectState, string>> {
  const map: Partial<Record<ProjectState, string>> = {};
  for (const pair of value === '' ? [] : value.split(',')) {
    const at = pair.indexOf('=');
    const state = pair.slice(0, at).trim();
    const option = pair.slice(at + 1).trim();
    if (!(PROJECT_STATES as readonly string[]).includes(state)) {
      problems.push(
        `PROJECT_STATUS_MAP=${JSON.stringify(value)}: unknown state ${JSON.stringify(state)}; use ${PROJECT_STATES.join(', ')}`,
      );
      continue;
    }
    if (state in map) {
      problems.push(`PROJECT_STATUS_MAP=${JSON.stringify(value)}: ${state} is mapped twice; keep one`);
      continue;
    }
    if (option !== '') map[state as ProjectState] = option;
  }
  return map;
}

export function projectConfig(
  get: <T>(name: VariableName) => T,
  problems: string[],
): ProjectConfig | undefined {
  const raw = get<string | undefined>('GITHUB_PROJECT');
  if (raw === undefined) return undefined;
  if (get<string | undefined>('GITHUB_REPOSITORY') === undefined) {
    problems.push(
      `GITHUB_PROJECT=${JSON.stringify(raw)} is set but GITHUB_REPOSITORY is not: the project mirrors the issues of a GitHub repository; set GITHUB_REPOSITORY or unset GITHUB_PROJECT`,
    );
    return undefined;
  }
  const ref = parseProjectRef(raw);
  if (ref === null || ref.number < 1) {
    problems.push(
      `GITHUB_PROJECT=${JSON.stringify(raw)} is not a project: give its number (1 or more) or its URL, e.g. https://github.com/orgs/acme/projects/3`,
    );
    return undefined;
  }
  return {
    ...ref,
    statusField: get<string>('PROJECT_STATUS_FIELD'),
    // Undefined when the value did not parse (already reported).
    statusMap: parseStatusMap(get<string | undefined>('PROJECT_STATUS_MAP') ?? '', problems),
    readyStatus: get<string | undefined>('PROJECT_READY_STATUS'),
  };
}
