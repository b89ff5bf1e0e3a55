/**
 * One GitHub Projects (v2) board as a mirror of the ledger: the issue's card is moved to the
 * column its state maps to. Ids (project, field, options) are looked up once per process and
 * looked up again when GitHub says one is gone. Options are never created: rewriting a field's
 * options clears the values already set on cards.
 *
 * Every GraphQL request is paced like a write (~1 s), so each card's item id and option are
 * remembered (card-cache.ts): a known card moves with one mutation, and costs nothing when it is
 * already in its column. Measured in tests/github/project-cost.test.ts.
 */

import type { Logger } from '../../../core/logger.js';
import type { KeyValueStore } from '../../../state/kv-store.js';
import type { GitHubClient } from '../http/index.js';
import { CardCache, type KnownCard } from './card-cache.js';
import { ProjectError, projectRequest } from './project-errors.js';
import { lookUpProject, type ResolvedProject } from './project-lookup.js';
import {
  ADD_ITEM_MUTATION,
  ISSUE_ITEMS_QUERY,
  type IssueItemsAnswer,
  type ItemsPage,
  PROJECT_ITEMS_QUERY,
  SET_STATUS_MUTATION,
} from './project-queries.js';
import type { ProjectSettings, ProjectState } from './project-state.js';

export type { ResolvedProject };

/** What a move did: the card moved, was already there, or was left alone (and why). */
export type MoveResult = 'moved' | 'unchanged' | 'unmapped' | 'no-option';

export interface ProjectSyncOptions {
  client: GitHubClient;
  /** The repository whose issues are the cards (and whose owner a bare project number names). */
  owner: string;
  repo: string;
  project: ProjectSettings;
  logger: Logger;
  /** Where the known cards survive a restart (the state's kv); none: memory only. */
  cache?: KeyValueStore;
  /** Monotonic ms: how old the last read of the cards is (a read is shared within a cycle). */
  monotonic?: () => number;
}

/** Finds an option by name: exact first, then ignoring case (people retype column names). */
export function optionId(options: ReadonlyMap<string, string>, name: string): string | undefined {
  return options.get(name) ?? [...options].find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

export class ProjectSync {
  private resolved: Promise<ResolvedProject> | null = null;
  /** Options the project lacks, already warned about (once per process). */
  private readonly warned = new Set<string>();
  private readonly known: CardCache;
  private lastRead: { at: number; cards: Map<number, string | null> } | null = null;

  constructor(private readonly o: ProjectSyncOptions) {
    this.known = new CardCache(o.cache);
  }

  get settings(): ProjectSettings {
    return this.o.project;
  }

  /** `login/number` as the settings name it. */
  get label(): string {
    return `${this.o.project.owner ?? this.o.owner}/projects/${this.o.project.number}`;
  }

  /** The project's ids, looked up once (a failed lookup is tried again next time). */
  resolve(signal?: AbortSignal): Promise<ResolvedProject> {
    this.resolved ??= lookUpProject(this.o, this.label, signal).catch((error: unknown) => {
      this.resolved = null;
      throw error;
    });
    return this.resolved;
  }

  /**
   * Moves `issue`'s card to the column `state` maps to (adding the issue to the project first when
   * it is not on it). A state mapped to nothing, or to an option the project lacks, leaves the
   * card alone. Skips the write when the card is already there.
   */
  async move(issue: number, state: ProjectState, signal?: AbortSignal): Promise<MoveResult> {
    const name = this.o.project.statusMap[state];
    if (name === undefined) return 'unmapped';
    const project = await this.resolve(signal);
    const option = optionId(project.options, name);
    if (option === undefined) {
      if (!this.warned.has(name)) {
        this.warned.add(name);
        this.o.logger.warn(
          { project: this.label, option: name, state },
          `the project has no "${name}" option in ${this.o.project.statusField}: cards are left alone for ${state} (add the option on GitHub, or change PROJECT_STATUS_MAP)`,
        );
      }
      return 'no-option';
    }
    try {
      const known = this.known.get(project.id, issue);
      if (known?.option === option) return 'unchanged';
      if (known) {
        try {
          await this.setOption(project, issue, known.item, option, signal);
          this.known.set(project.id, issue, { item: known.item, option });
          return 'moved';
        } catch (error) {
          if (!(error instanceof ProjectError && error.notFound)) throw error;
          // The card was removed (or the project recreated): found again by the issue below.
          this.known.forget(issue);
        }
      }
      return await this.setStatus(project, issue, option, signal);
    } catch (error) {
      // An id GitHub no longer knows (the project or field was recreated): look them up again.
      if (error instanceof ProjectError && error.notFound) this.resolved = null;
      throw error;
    }
  }

  private async setStatus(
    project: ResolvedProject,
    issue: number,
    option: string,
    signal?: AbortSignal,
  ): Promise<MoveResult> {
    const { client, owner, repo } = this.o;
    const found = await projectRequest(
      `the project cards of #${issue}`,
      () =>
        client.graphql<IssueItemsAnswer>(ISSUE_ITEMS_QUERY, {
          owner,
          repo,
          number: issue,
          field: this.o.project.statusField,
          request: { signal },
        }),
      { idsAt: false },
    );
    const node = found.repository?.issue;
    if (!node) throw new ProjectError(`#${issue} is not an issue of ${owner}/${repo}`);
    const card = node.projectItems.nodes.find((n) => n.project.id === project.id);
    const current = card?.fieldValueByName?.optionId ?? null;
    if (card) this.known.set(project.id, issue, { item: card.id, option: current });
    if (current === option) return 'unchanged';
    const itemId =
      card?.id ??
      (
        await projectRequest(`adding #${issue} to the project ${this.label}`, () =>
          client.graphql<{ addProjectV2ItemById: { item: { id: string } } }>(ADD_ITEM_MUTATION, {
            project: project.id,
            content: node.id,
            request: { signal },
          }),
        )
      ).addProjectV2ItemById.item.id;
    await this.setOption(project, issue, itemId, option, signal);
    this.known.set(project.id, issue, { item: itemId, option });
    return 'moved';
  }

  private async setOption(
    project: ResolvedProject,
    issue: number,
    item: string,
    option: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await projectRequest(`moving #${issue}'s card`, () =>
      this.o.client.graphql(SET_STATUS_MUTATION, {
        project: project.id,
        item,
        field: project.fieldId,
        option,
        request: { signal },
      }),
    );
  }

  /**
   * Every issue of this repository on the project, with its card's option id (null: no status).
   * `maxAgeMs`: a read this recent is answered again (the Ready gate's read of this cycle serves
   * the audit too). Every read refreshes the known cards.
   */
  async cards(
    signal?: AbortSignal,
    { maxAgeMs = 0 }: { maxAgeMs?: number } = {},
  ): Promise<Map<number, string | null>> {
    const now = this.o.monotonic ?? (() => performance.now());
    const last = this.lastRead;
    if (last && maxAgeMs > 0 && now() - last.at <= maxAgeMs) return new Map(last.cards);
    const project = await this.resolve(signal);
    const at = now();
    const mark = this.known.mark();
    const read = await this.readCards(project, signal);
    this.known.fromRead(project.id, mark, read);
    const cards = new Map([...read].map(([issue, c]) => [issue, c.option]));
    this.lastRead = { at, cards };
    return new Map(cards);
  }

  private async readCards(project: ResolvedProject, signal?: AbortSignal): Promise<Map<number, KnownCard>> {
    const repository = `${this.o.owner}/${this.o.repo}`.toLowerCase();
    const cards = new Map<number, KnownCard>();
    let after: string | null = null;
    do {
      const page: ItemsPage = await projectRequest(`the cards of ${this.label}`, () =>
        this.o.client.graphql<ItemsPage>(PROJECT_ITEMS_QUERY, {
          project: project.id,
          field: this.o.project.statusField,
          after,
          request: { signal },
        }),
      );
      const items = page.node?.items;
      if (!items) throw new ProjectError(`the project ${this.label} is gone`, true);
      for (const item of items.nodes) {
        const c = item.content;
        if (c?.__typename !== 'Issue' || c.number === undefined) continue;
        if (c.repository?.nameWithOwner.toLowerCase() !== repository) continue;
        cards.set(c.number, { item: item.id, option: item.fieldValueByName?.optionId ?? null });
      }
      after = items.pageInfo.hasNextPage ? items.pageInfo.endCursor : null;
    } while (after !== null);
    return cards;
  }
}
