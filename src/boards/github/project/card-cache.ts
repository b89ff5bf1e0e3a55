/**
 * What this process knows of each issue's card: its item id and the option it was last seen or
 * set to. A move of a known card is then one mutation, and a card already in its column costs
 * nothing. Kept in memory and in the state's kv (a restart keeps it). Dropped when GitHub says
 * the item is gone; overwritten by every read of the project's cards (a person dragged a card).
 */
import type { KeyValueStore } from '../../../state/kv-store.js';

export interface KnownCard {
  item: string;
  /** The option id last seen or set; null: no status. */
  option: string | null;
}

const NAMESPACE = 'project-cards';

export class CardCache {
  private readonly cards = new Map<number, KnownCard>();
  /** Bumped on every write; a read started before a card's write does not overwrite it. */
  private seq = 0;
  private readonly writtenAt = new Map<number, number>();
  private loadedFor: string | null = null;

  constructor(private readonly kv: KeyValueStore | undefined) {}

  /** The known card of `issue` on project `projectId` (entries of another project id are dropped). */
  get(projectId: string, issue: number): KnownCard | undefined {
    this.load(projectId);
    return this.cards.get(issue);
  }

  /** This process set (or found) the card: remembered over any read already under way. */
  set(projectId: string, issue: number, card: KnownCard): void {
    this.load(projectId);
    this.writtenAt.set(issue, ++this.seq);
    this.put(projectId, issue, card);
  }

  forget(issue: number): void {
    this.cards.delete(issue);
    this.kv?.delete(NAMESPACE, String(issue));
  }

  /** A mark for `fromRead`: taken before a read of the project's cards starts. */
  mark(): number {
    return this.seq;
  }

  /**
   * The full read of the project's cards (of this repository) that started at `mark`: every card
   * is remembered as read, and a known card the read lacks is forgotten (removed from the project),
   * except cards this process wrote while the read was under way.
   */
  fromRead(projectId: string, mark: number, read: ReadonlyMap<number, KnownCard>): void {
    this.load(projectId);
    const newer = (issue: number) => (this.writtenAt.get(issue) ?? 0) > mark;
    for (const issue of [...this.cards.keys()]) if (!read.has(issue) && !newer(issue)) this.forget(issue);
    for (const [issue, card] of read) {
      const known = this.cards.get(issue);
      if (newer(issue) || (known && known.item === card.item && known.option === card.option)) continue;
      this.put(projectId, issue, card);
    }
  }

  private put(projectId: string, issue: number, card: KnownCard): void {
    this.cards.set(issue, card);
    this.kv?.set(NAMESPACE, String(issue), JSON.stringify({ project: projectId, ...card }));
  }

  /** Loads the kv's cards of `projectId` once; a different project id (recreated) drops them all. */
  private load(projectId: string): void {
    if (this.loadedFor === projectId) return;
    this.loadedFor = projectId;
    this.cards.clear();
    for (const [key, value] of this.kv?.entries(NAMESPACE) ?? []) {
      const card = parse(value);
      if (card && card.project === projectId)
        this.cards.set(Number(key), { item: card.item, option: card.option });
      else this.kv?.delete(NAMESPACE, key);
    }
  }
}

function parse(value: string): (KnownCard & { project: string }) | null {
  try {
    const v = JSON.parse(value) as Partial<KnownCard & { project: string }>;
    if (typeof v.project !== 'string' || typeof v.item !== 'string') return null;
    if (v.option !== null && typeof v.option !== 'string') return null;
    return { project: v.project, item: v.item, option: v.option };
  } catch {
    return null;
  }
}
