/**
 * A map that remembers, for every key, the values it held over (monotonic) time, so that a
 * lagged read can see the state as of N ms ago while writes act on the newest version.
 * Values must be treated as immutable: updating an entity means setting a new object.
 */

/** Source of version timestamps and how long superseded versions must be kept. */
export interface HistoryClock {
  /** Monotonic milliseconds (not the wall clock, so clock-offset changes cannot reorder history). */
  mono(): number;
  /** Superseded versions older than this are dropped. */
  retentionMs(): number;
}

interface Version<V> {
  at: number;
  value: V | undefined;
}

export class VersionedMap<K, V> {
  readonly #entries = new Map<K, Version<V>[]>();
  readonly #clock: HistoryClock;

  constructor(clock: HistoryClock) {
    this.#clock = clock;
  }

  /** The value at `asOf` (monotonic ms), or the current value when `asOf` is undefined. */
  get(key: K, asOf?: number): V | undefined {
    const versions = this.#entries.get(key);
    return versions ? pick(versions, asOf) : undefined;
  }

  has(key: K, asOf?: number): boolean {
    return this.get(key, asOf) !== undefined;
  }

  /** Records a new version; `at` lets seeding place data at the beginning of time. */
  set(key: K, value: V, at = this.#clock.mono()): void {
    this.#push(key, { at, value });
  }

  delete(key: K): boolean {
    if (!this.has(key)) return false;
    this.#push(key, { at: this.#clock.mono(), value: undefined });
    return true;
  }

  /** Values present at `asOf`, in insertion order of their keys. */
  values(asOf?: number): V[] {
    const out: V[] = [];
    for (const versions of this.#entries.values()) {
      const value = pick(versions, asOf);
      if (value !== undefined) out.push(value);
    }
    return out;
  }

  entries(asOf?: number): Array<[K, V]> {
    const out: Array<[K, V]> = [];
    for (const [key, versions] of this.#entries) {
      const value = pick(versions, asOf);
      if (value !== undefined) out.push([key, value]);
    }
    return out;
  }

  #push(key: K, version: Version<V>): void {
    const versions = this.#entries.get(key) ?? [];
    versions.push(version);
    this.#entries.set(key, versions);
    this.#prune(key, versions);
  }

  /** Drops versions no lagged read can still ask for, and keys whose deletion is that old. */
  #prune(key: K, versions: Version<V>[]): void {
    const horizon = this.#clock.mono() - this.#clock.retentionMs();
    while (versions.length >= 2 && versions[1]!.at <= horizon) {
      // The survivor inherits the dropped version's start, so a key never seems younger than
      // it is (reads older than the retention, which noteLag prevents, get the oldest kept value).
      const dropped = versions.shift()!;
      versions[0]!.at = dropped.at;
    }
    const only = versions[0];
    if (versions.length === 1 && only && only.value === undefined && only.at <= horizon) {
      this.#entries.delete(key);
    }
  }
}

function pick<V>(versions: Version<V>[], asOf: number | undefined): V | undefined {
  if (asOf === undefined) return versions[versions.length - 1]?.value;
  for (let i = versions.length - 1; i >= 0; i--) {
    const version = versions[i]!;
    if (version.at <= asOf) return version.value;
  }
  return undefined;
}
