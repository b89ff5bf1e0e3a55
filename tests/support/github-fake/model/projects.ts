/**
 * GitHub Projects (v2) in the fake: projects owned by a login, their fields (single-select with
 * options, or plain text), and cards (items) showing issues, with every status change recorded
 * so a test can assert the order a card moved in. Seeded (`SeedData.projects`); the GraphQL
 * route (routes/graphql.ts) reads and writes it.
 */
import { nodeId } from '../render/render.js';
import type { IssueRecord, RepoRecord } from './records.js';

export interface ProjectField {
  id: string;
  name: string;
  dataType: 'SINGLE_SELECT' | 'TEXT';
  options: { id: string; name: string }[];
}

export interface ProjectItem {
  id: string;
  /** The issue's node id. */
  contentId: string;
  /** Option id per single-select field id. */
  values: Map<string, string>;
}

export interface ProjectRecord {
  id: string;
  owner: string;
  number: number;
  title: string;
  fields: ProjectField[];
  items: ProjectItem[];
}

export interface SeedProject {
  owner: string;
  number: number;
  title?: string;
  /** Default: one single-select "Status" with Todo, Ready, In progress, In review, Done, Blocked. */
  fields?: { name: string; options?: string[] }[];
  /** Cards: `repo` is owner/name; `status` an option name of the "Status" field. */
  items?: { repo: string; issue: number; status?: string }[];
}

export const DEFAULT_STATUS_OPTIONS = ['Todo', 'Ready', 'In progress', 'In review', 'Done', 'Blocked'];

/** One status change of a card: which issue, to which option name. */
export interface ProjectMove {
  project: string;
  contentId: string;
  option: string;
}

export class Projects {
  readonly #projects: ProjectRecord[] = [];
  readonly moves: ProjectMove[] = [];
  #next = 1;

  constructor(
    private readonly issueByNode: (id: string) => { repo: RepoRecord; issue: IssueRecord } | undefined,
  ) {}

  private id(kind: string): string {
    return nodeId(kind, this.#next++);
  }

  /** GitHub's option ids are eight hex digits. */
  private optionId(): string {
    return ((this.#next++ * 2_654_435_761) % 2 ** 32).toString(16).padStart(8, '0');
  }

  seed(spec: SeedProject, issueNode: (repo: string, issue: number) => string): void {
    const at = this.#projects.findIndex((p) => p.owner === spec.owner && p.number === spec.number);
    if (at >= 0) this.#projects.splice(at, 1);
    const fields = (spec.fields ?? [{ name: 'Status', options: DEFAULT_STATUS_OPTIONS }]).map(
      (f): ProjectField => ({
        id: this.id('PVTSSF'),
        name: f.name,
        dataType: f.options ? 'SINGLE_SELECT' : 'TEXT',
        options: (f.options ?? []).map((name) => ({ id: this.optionId(), name })),
      }),
    );
    const project: ProjectRecord = {
      id: this.id('PVT'),
      owner: spec.owner,
      number: spec.number,
      title: spec.title ?? `Project ${spec.number}`,
      fields,
      items: [],
    };
    this.#projects.push(project);
    for (const card of spec.items ?? []) {
      const item = this.add(project, issueNode(card.repo, card.issue));
      if (card.status === undefined) continue;
      const status = fields.find((f) => f.name === 'Status');
      const option = status?.options.find((o) => o.name === card.status);
      if (!status || !option)
        throw new Error(`seed: project ${spec.number} has no Status option ${card.status}`);
      item.values.set(status.id, option.id);
    }
  }

  find(owner: string, number: number): ProjectRecord | undefined {
    return this.#projects.find((p) => p.owner.toLowerCase() === owner.toLowerCase() && p.number === number);
  }

  byId(id: string): ProjectRecord | undefined {
    return this.#projects.find((p) => p.id === id);
  }

  itemExists(id: string): boolean {
    return this.#projects.some((p) => p.items.some((i) => i.id === id));
  }

  owners(): string[] {
    return this.#projects.map((p) => p.owner);
  }

  /** Adds a card for the content, or returns the existing one (as GitHub does). */
  add(project: ProjectRecord, contentId: string): ProjectItem {
    const existing = project.items.find((i) => i.contentId === contentId);
    if (existing) return existing;
    const item: ProjectItem = { id: this.id('PVTI'), contentId, values: new Map() };
    project.items.push(item);
    return item;
  }

  setOption(project: ProjectRecord, item: ProjectItem, field: ProjectField, optionId: string): void {
    item.values.set(field.id, optionId);
    const option = field.options.find((o) => o.id === optionId)!.name;
    this.moves.push({ project: project.id, contentId: item.contentId, option });
  }

  /** Every card showing the issue, with its project (the issue's `projectItems`). */
  itemsOf(contentId: string): { project: ProjectRecord; item: ProjectItem }[] {
    return this.#projects.flatMap((project) =>
      project.items.filter((i) => i.contentId === contentId).map((item) => ({ project, item })),
    );
  }

  issueOf(contentId: string) {
    return this.issueByNode(contentId);
  }

  /** For assertions: the status option name of `issue`'s card on the project (null: none; undefined: no card). */
  statusOf(owner: string, number: number, contentId: string): string | null | undefined {
    const project = this.find(owner, number);
    const item = project?.items.find((i) => i.contentId === contentId);
    if (!project || !item) return undefined;
    const field = project.fields.find((f) => f.name === 'Status');
    const option = field && item.values.get(field.id);
    return field?.options.find((o) => o.id === option)?.name ?? null;
  }

  /** For assertions: the option names `contentId`'s card was moved to, in order. */
  movesOf(contentId: string): string[] {
    return this.moves.filter((m) => m.contentId === contentId).map((m) => m.option);
  }
}
