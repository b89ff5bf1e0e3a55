import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore } from '../../../state/kv-store.js';
import { CardCache } from './card-cache.js';

describe('the known cards', () => {
  it('a read overwrites what it saw and forgets cards it lacks, but not a card set while it ran', () => {
    const cache = new CardCache(new MemoryKeyValueStore());
    cache.set('P1', 1, { item: 'i1', option: 'todo' });
    cache.set('P1', 2, { item: 'i2', option: 'todo' });
    const mark = cache.mark();
    cache.set('P1', 3, { item: 'i3', option: 'done' }); // moved while the read was under way
    cache.fromRead(
      'P1',
      mark,
      new Map([
        [1, { item: 'i1', option: 'ready' }], // dragged by a person
        [3, { item: 'i3', option: 'todo' }], // the read's older view of #3
      ]),
    );
    expect(cache.get('P1', 1)).toEqual({ item: 'i1', option: 'ready' });
    expect(cache.get('P1', 2)).toBeUndefined(); // removed from the project
    expect(cache.get('P1', 3)).toEqual({ item: 'i3', option: 'done' });
  });

  it('survives a restart in the kv, and drops the cards of another project id (recreated)', () => {
    const kv = new MemoryKeyValueStore();
    new CardCache(kv).set('P1', 7, { item: 'i7', option: null });
    expect(new CardCache(kv).get('P1', 7)).toEqual({ item: 'i7', option: null });
    expect(new CardCache(kv).get('P2', 7)).toBeUndefined();
    expect(kv.entries('project-cards')).toEqual([]);
    kv.set('project-cards', '8', 'not json');
    expect(new CardCache(kv).get('P1', 8)).toBeUndefined();
  });
});
