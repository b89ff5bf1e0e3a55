/**
 * `doctor` for GITHUB_PROJECT: the project is reachable with this token, its status field exists
 * and is single-select, every mapped option exists (a missing one is named, with what to do: the
 * daemon never creates options), and the PROJECT_READY_STATUS option exists.
 */
import { errorMessage } from '../../../core/errors.js';
import { PROJECT_STATE_NAMES, type ProjectSettings, type ProjectState } from './project-state.js';
import { optionId, type ProjectSync } from './project-sync.js';

/** A doctor check (doctor.ts's Check). */
export interface ProjectCheck {
  name: string;
  ok: boolean;
  warn?: boolean;
  detail: string;
}

export async function projectChecks(
  sync: Pick<ProjectSync, 'resolve' | 'label'>,
  settings: ProjectSettings,
): Promise<ProjectCheck[]> {
  let project: Awaited<ReturnType<ProjectSync['resolve']>>;
  try {
    project = await sync.resolve();
  } catch (error) {
    return [{ name: 'GitHub project', ok: false, detail: errorMessage(error) }];
  }
  const options = [...project.options.keys()];
  const checks: ProjectCheck[] = [
    {
      name: 'GitHub project',
      ok: true,
      detail: `"${project.title}" (${sync.label}); ${settings.statusField} options: ${options.join(', ')}`,
    },
  ];
  const mapped = Object.entries(settings.statusMap) as [ProjectState, string][];
  const missing = mapped.filter(([, name]) => optionId(project.options, name) === undefined);
  checks.push(
    missing.length === 0
      ? {
          name: 'project status map',
          ok: true,
          detail: mapped.map(([state, name]) => `${PROJECT_STATE_NAMES[state]} → ${name}`).join(', '),
        }
      : {
          name: 'project status map',
          ok: true,
          warn: true,
          detail:
            missing
              .map(
                ([state, name]) => `no "${name}" option for ${PROJECT_STATE_NAMES[state]} (${state}=${name})`,
              )
              .join('; ') +
            `: those cards are left alone. Add the option to ${settings.statusField} on GitHub (codex-monitor never creates options: rewriting a field's options clears the cards' values), or change PROJECT_STATUS_MAP`,
        },
  );
  if (settings.readyStatus !== undefined) {
    const found = optionId(project.options, settings.readyStatus) !== undefined;
    checks.push({
      name: 'project Ready column',
      ok: found,
      detail: found
        ? `only issues whose card is in "${settings.readyStatus}" start`
        : `PROJECT_READY_STATUS="${settings.readyStatus}": ${settings.statusField} has no such option, so no issue would start; use one of ${options.join(', ')}`,
    });
  }
  return checks;
}
