/**
 * The fake's GraphQL root: exactly the fields codex-monitor sends (Projects v2 and taking a pull
 * request out of draft), as plain objects and functions that graphql-js's default resolvers call.
 * Errors carry GitHub's `type` (NOT_FOUND, ...): graphql.ts copies it beside the message.
 */
import { GraphQLError } from 'graphql';
import type { ProjectItem, ProjectRecord, Projects } from '../model/projects.js';
import type { IssueRecord, RepoRecord } from '../model/records.js';
import { nodeId } from '../render/render.js';
import type { TokenProfile } from '../types.js';
import type { RouteRequest } from './context.js';

/** An error as GitHub's GraphQL API words and types it. */
export const typed = (message: string, type?: string) =>
  new GraphQLError(message, type ? { extensions: { type } } : {});

const notFound = (message: string) => typed(message, 'NOT_FOUND');

const forbidden = (profile: TokenProfile) =>
  new GraphQLError(
    `Resource not accessible by ${(profile.kind ?? 'user') === 'user' ? 'personal access token' : 'integration'}`,
    { extensions: { type: 'FORBIDDEN', saml_failure: false } },
  );

/** The root fields served; any other root field is refused before execution. */
export const SERVED = {
  query: ['repositoryOwner', 'repository', 'node'],
  mutation: ['addProjectV2ItemById', 'updateProjectV2ItemFieldValue', 'markPullRequestReadyForReview'],
} as const;

const MAX_PAGE = 100;

function page<T>(all: T[], args: { first?: number; after?: string }, connection: string) {
  const first = args.first ?? MAX_PAGE;
  if (first > MAX_PAGE) {
    throw typed(
      `Requesting ${first} records on the \`${connection}\` connection exceeds the \`first\` limit of ${MAX_PAGE} records.`,
      'EXCESSIVE_PAGINATION',
    );
  }
  const start = args.after ? Number(Buffer.from(args.after, 'base64').toString().split(':')[1]) + 1 : 0;
  const nodes = all.slice(start, start + first);
  const end = start + nodes.length - 1;
  return {
    nodes,
    totalCount: all.length,
    pageInfo: {
      hasNextPage: end + 1 < all.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? Buffer.from(`cursor:${start}`).toString('base64') : null,
      endCursor: nodes.length ? Buffer.from(`cursor:${end}`).toString('base64') : null,
    },
  };
}

export function rootValue(req: RouteRequest) {
  const projects = req.store.projects;
  const issueObject = (repo: RepoRecord, issue: IssueRecord) => ({
    __typename: issue.pullRequest ? 'PullRequest' : 'Issue',
    id: nodeId(issue.pullRequest ? 'PullRequest' : 'Issue', issue.id),
    number: issue.number,
    title: issue.title,
    repository: { nameWithOwner: `${repo.owner}/${repo.name}`, name: repo.name },
    projectItems: (args: { first?: number; after?: string }) =>
      page(
        projects.itemsOf(nodeId('Issue', issue.id)).map(({ project, item }) => itemObject(project, item)),
        args,
        'projectItems',
      ),
  });
  const itemObject = (project: ProjectRecord, item: ProjectItem) => ({
    __typename: 'ProjectV2Item',
    id: item.id,
    type: 'ISSUE',
    isArchived: false,
    project: projectObject(project),
    content: () => {
      const found = projects.issueOf(item.contentId);
      return found ? issueObject(found.repo, found.issue) : null;
    },
    fieldValueByName: ({ name }: { name: string }) => {
      const field = project.fields.find((f) => f.name === name);
      const optionId = field && item.values.get(field.id);
      const option = field?.options.find((o) => o.id === optionId);
      if (!field || !option) return null;
      return { __typename: 'ProjectV2ItemFieldSingleSelectValue', optionId: option.id, name: option.name };
    },
  });
  const projectObject = (project: ProjectRecord) => ({
    __typename: 'ProjectV2',
    id: project.id,
    number: project.number,
    title: project.title,
    field: ({ name }: { name: string }) => {
      const field = project.fields.find((f) => f.name === name);
      if (!field) return null;
      return field.dataType === 'SINGLE_SELECT'
        ? { __typename: 'ProjectV2SingleSelectField', ...field, options: field.options }
        : { __typename: 'ProjectV2Field', id: field.id, name: field.name, dataType: field.dataType };
    },
    items: (args: { first?: number; after?: string }) =>
      page(
        project.items.map((item) => itemObject(project, item)),
        args,
        'items',
      ),
  });

  return {
    repositoryOwner: ({ login }: { login: string }) => {
      const repo = req.store.repos().find((r) => r.owner.toLowerCase() === login.toLowerCase());
      const owns = projects.owners().some((o) => o.toLowerCase() === login.toLowerCase());
      if (!repo && !owns) return null;
      return {
        __typename: repo?.ownerType ?? 'Organization',
        login,
        projectV2: ({ number }: { number: number }) => {
          const project = projects.find(login, number);
          if (!project) throw notFound(`Could not resolve to a ProjectV2 with the number ${number}.`);
          return projectObject(project);
        },
      };
    },
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = req.store.getRepo(owner, name);
      if (!repo) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return {
        issue: ({ number }: { number: number }) => {
          const issue = repo.issues.get(number);
          if (!issue || issue.pullRequest)
            throw notFound(`Could not resolve to an Issue with the number of ${number}.`);
          return issueObject(repo, issue);
        },
      };
    },
    node: ({ id }: { id: string }) => {
      const project = projects.byId(id);
      if (project) return projectObject(project);
      const found = req.store.issueByNode(id);
      if (found) return issueObject(found.repo, found.issue);
      throw notFound(`Could not resolve to a node with the global id of '${id}'`);
    },
    ...mutations(req, projects, itemObject),
  };
}

function mutations(
  req: RouteRequest,
  projects: Projects,
  itemObject: (project: ProjectRecord, item: ProjectItem) => unknown,
) {
  const mustProject = (id: string) => {
    const project = projects.byId(id);
    if (!project) throw notFound(`Could not resolve to a node with the global id of '${id}'`);
    return project;
  };
  return {
    addProjectV2ItemById: ({ input }: { input: { projectId: string; contentId: string } }) => {
      const project = mustProject(input.projectId);
      if (!req.store.issueByNode(input.contentId)) {
        throw notFound(`Could not resolve to a node with the global id of '${input.contentId}'`);
      }
      return { item: itemObject(project, projects.add(project, input.contentId)) };
    },
    updateProjectV2ItemFieldValue: ({
      input,
    }: {
      input: { projectId: string; itemId: string; fieldId: string; value: { singleSelectOptionId?: string } };
    }) => {
      const project = mustProject(input.projectId);
      const item = project.items.find((i) => i.id === input.itemId);
      if (!item) {
        // Item ids are global: one of another project is a validation error, as GitHub words it.
        if (projects.itemExists(input.itemId))
          throw typed('The item does not exist in the project', 'VALIDATION');
        throw notFound(`Could not resolve to a node with the global id of '${input.itemId}'`);
      }
      const field = project.fields.find((f) => f.id === input.fieldId);
      if (!field) throw notFound(`Could not resolve to a node with the global id of '${input.fieldId}'`);
      const option = input.value.singleSelectOptionId;
      if (field.dataType !== 'SINGLE_SELECT' || option === undefined) {
        throw typed(
          `The field ${field.name} takes a ${field.dataType.toLowerCase()} value.`,
          'UNPROCESSABLE',
        );
      }
      if (!field.options.some((o) => o.id === option)) {
        throw typed(`The single select option Id does not belong to the field`, 'UNPROCESSABLE');
      }
      projects.setOption(project, item, field, option);
      return { projectV2Item: itemObject(project, item) };
    },
    markPullRequestReadyForReview: ({ input }: { input: { pullRequestId: string } }) => {
      // GraphQL refuses a missing permission per field, in a 200: `data` null for the field and
      // an error typed FORBIDDEN (as `gh pr ready` reports it with a read-only token).
      if (req.profile.pullRequests !== 'write') throw forbidden(req.profile);
      const found = req.store.issueByNode(input.pullRequestId);
      if (!found?.issue.pullRequest) {
        throw notFound(`Could not resolve to a node with the global id of '${input.pullRequestId}'`);
      }
      const { repo, issue } = found;
      const pr = issue.pullRequest!;
      if (pr.draft) {
        repo.issues.set(issue.number, { ...issue, pullRequest: { ...pr, draft: false }, updatedAt: req.now });
      }
      return {
        pullRequest: {
          id: input.pullRequestId,
          number: issue.number,
          isDraft: false,
          url: `${req.r.html}/${repo.owner}/${repo.name}/pull/${issue.number}`,
          state: pr.mergedAt !== null ? 'MERGED' : issue.state.toUpperCase(),
        },
      };
    },
  };
}
