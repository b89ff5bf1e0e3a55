import type { KeyValueStore } from '../../../state/kv-store.js';
import type { IssueSnapshot, PullState } from './issue-snapshot.js';

/**
 * This workstation's copy of the repository's issues, persisted in the local store's kv table: the
 * incremental listing returns only what changed, so a restarted daemon needs what it saw.
 */
export class IssueStore {
  private readonly map = new Map<number, IssueSnapshot>();
  private readonly namespace: string;
  private readonly pullNamespace: string;

  constructor(
    private readonly kv: KeyValueStore,
    repository: string,
  ) {
    this.namespace = `github-issue:${repository.toLowerCase()}`;
    this.pullNamespace = `github-pull:${repository.toLowerCase()}`;
    for (const [, value] of kv.entries(this.namespace)) {
      try {
        const issue = JSON.parse(value) as IssueSnapshot;
        this.map.set(issue.number, issue);
      } catch {
        // A damaged cache entry: the next full listing brings the issue back.
      }
    }
  }

  get all(): ReadonlyMap<number, IssueSnapshot> {
    return this.map;
  }

  get(issue: number): IssueSnapshot | undefined {
    return this.map.get(issue);
  }

  put(issue: IssueSnapshot): void {
    this.map.set(issue.number, issue);
    this.kv.set(this.namespace, String(issue.number), JSON.stringify(issue));
  }

  /** The issue left the repository (transferred, deleted): it is no longer a task here. */
  remove(issue: number): void {
    this.map.delete(issue);
    this.kv.delete(this.namespace, String(issue));
  }

  /** A pull request's state as the issues list last showed it (the listing includes them). */
  pullState(number: number): PullState['state'] | null {
    const state = this.kv.get(this.pullNamespace, String(number));
    return state === 'open' || state === 'closed' || state === 'merged' ? state : null;
  }

  putPull(pull: PullState): void {
    if (this.pullState(pull.number) !== pull.state)
      this.kv.set(this.pullNamespace, String(pull.number), pull.state);
  }

  /** Label access for the mirror, which updates our copy after its own writes. */
  readonly labels = {
    get: (issue: number): readonly string[] => this.map.get(issue)?.labels ?? [],
    set: (issue: number, labels: string[]): void => {
      const known = this.map.get(issue);
      if (known) this.put({ ...known, labels });
    },
  };
}
