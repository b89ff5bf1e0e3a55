/**
 * Jira Cloud REST API v3 response shapes, as Atlassian's reference shows them in its example
 * responses (no npm package ships the platform's OpenAPI description in a form we can validate
 * against, so these follow the recorded examples of
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/ (Get issue),
 * .../api-group-issue-search/ (Search for issues using JQL enhanced search: `issues`,
 * `nextPageToken`, `isLast`), .../api-group-issue-comments/ and the transitions of Get transitions).
 */
import type { FakeComment, FakeIssue, JiraModel, StatusCategory } from './model.js';

export interface Account {
  accountId: string;
  displayName: string;
  email?: string;
}

const CATEGORY = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;

const BLOCKS = { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' };

export class Renderer {
  constructor(
    private readonly model: JiraModel,
    private readonly url: () => string,
    private readonly accounts: Map<string, Account>,
  ) {}

  status(name: string, category: StatusCategory) {
    const id = String(Object.keys(this.model.workflow.statuses).indexOf(name) + 1);
    return {
      self: `${this.url()}/rest/api/3/status/${id}`,
      description: '',
      name,
      id,
      statusCategory: {
        self: `${this.url()}/rest/api/3/statuscategory/${CATEGORY[category].id}`,
        ...CATEGORY[category],
      },
    };
  }

  private brief(issue: FakeIssue) {
    return {
      id: issue.id,
      key: issue.key,
      self: `${this.url()}/rest/api/3/issue/${issue.id}`,
      fields: { summary: issue.summary, status: this.status(issue.status, issue.statusCategory) },
    };
  }

  private issueLinks(issue: FakeIssue) {
    const out = [];
    for (const link of this.model.links) {
      const self = `${this.url()}/rest/api/3/issueLink/${link.id}`;
      const type = { ...BLOCKS, self: `${this.url()}/rest/api/3/issueLinkType/${BLOCKS.id}` };
      // The blocked issue lists its blocker as `inwardIssue` ("this issue is blocked by it").
      if (link.outward === issue.id) {
        out.push({ id: link.id, self, type, inwardIssue: this.brief(this.model.issues.get(link.inward)!) });
      } else if (link.inward === issue.id) {
        out.push({ id: link.id, self, type, outwardIssue: this.brief(this.model.issues.get(link.outward)!) });
      }
    }
    return out;
  }

  /** `fields`: names to include, `*all` / `*navigable` for all; empty: `id` only (search's default). */
  issue(issue: FakeIssue, fields: string[]) {
    const all = fields.includes('*all') || fields.includes('*navigable');
    const want = (name: string) => all || fields.includes(name);
    const f: Record<string, unknown> = {};
    if (want('summary')) f.summary = issue.summary;
    if (want('description')) f.description = issue.description;
    if (want('labels')) f.labels = [...issue.labels];
    if (want('status')) f.status = this.status(issue.status, issue.statusCategory);
    if (want('priority'))
      f.priority = { self: `${this.url()}/rest/api/3/priority/3`, id: '3', name: issue.priority };
    if (want('updated')) f.updated = this.model.render(issue.updatedMs);
    if (want('created')) f.created = this.model.render(issue.createdMs);
    if (want('project')) f.project = { id: '10000', key: issue.project, name: issue.project };
    if (want('issuelinks')) f.issuelinks = this.issueLinks(issue);
    const base = { id: issue.id };
    if (fields.length === 0) return base;
    return {
      expand: '',
      ...base,
      self: `${this.url()}/rest/api/3/issue/${issue.id}`,
      key: issue.key,
      fields: f,
    };
  }

  account(accountId: string) {
    const account = this.accounts.get(accountId);
    return {
      self: `${this.url()}/rest/api/3/user?accountId=${accountId}`,
      accountId,
      displayName: account?.displayName ?? accountId,
      active: true,
      accountType: 'atlassian',
    };
  }

  comment(issue: FakeIssue, c: FakeComment) {
    return {
      self: `${this.url()}/rest/api/3/issue/${issue.id}/comment/${c.id}`,
      id: c.id,
      author: this.account(c.authorId),
      body: c.body,
      updateAuthor: this.account(c.authorId),
      created: this.model.render(c.createdMs),
      updated: this.model.render(c.updatedMs),
      jsdPublic: true,
    };
  }

  transitions(issue: FakeIssue) {
    return {
      expand: 'transitions',
      transitions: this.model.reachable(issue).map((to) => ({
        id: String(Object.keys(this.model.workflow.statuses).indexOf(to) * 10 + 11),
        // Transition names are the workflow's verbs, not the target status: find by `to.name`.
        name: `Move to ${to}`,
        to: this.status(to, this.model.categoryOf(to)),
        hasScreen: false,
        isGlobal: true,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
      })),
    };
  }
}
