/** Looking up a project's ids (the project, its status field and the field's options) by owner and number. */
import type { GitHubClient } from '../http/index.js';
import { ProjectError, projectRequest } from './project-errors.js';
import { type FieldAnswer, PROJECT_FIELD_QUERY } from './project-queries.js';
import type { ProjectSettings } from './project-state.js';

/** The project's ids, as looked up. */
export interface ResolvedProject {
  id: string;
  title: string;
  fieldId: string;
  /** Option id by name, as the project spells them. */
  options: Map<string, string>;
}

/** `o.owner`: the repository's owner, whose project a bare number names. `label`: for messages. */
export async function lookUpProject(
  o: { client: GitHubClient; owner: string; project: ProjectSettings },
  label: string,
  signal?: AbortSignal,
): Promise<ResolvedProject> {
  const { project } = o;
  const login = project.owner ?? o.owner;
  const data = await projectRequest(`the project ${label}`, () =>
    o.client.graphql<FieldAnswer>(PROJECT_FIELD_QUERY, {
      login,
      number: project.number,
      field: project.statusField,
      request: { signal },
    }),
  );
  const found = data.repositoryOwner?.projectV2;
  if (!found) {
    throw new ProjectError(
      `GITHUB_PROJECT: no project ${project.number} of ${login} is visible to this token: check the number, and that the token has the project scope`,
      true,
    );
  }
  const field = found.field;
  if (!field) {
    throw new ProjectError(
      `PROJECT_STATUS_FIELD=${JSON.stringify(project.statusField)}: the project "${found.title}" has no such field; name its single-select status field`,
    );
  }
  if (field.__typename !== 'ProjectV2SingleSelectField' || !field.options) {
    throw new ProjectError(
      `PROJECT_STATUS_FIELD=${JSON.stringify(project.statusField)}: the field is not single-select (${field.__typename}); name a single-select field`,
    );
  }
  return {
    id: found.id,
    title: found.title,
    fieldId: field.id,
    options: new Map(field.options.map((o) => [o.name, o.id])),
  };
}
