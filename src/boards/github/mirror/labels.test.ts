import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useStrictNock } from '../../../../tests/support/strict-nock.js';
import { silentLogger } from '../../../core/logger.js';
import { MemoryKeyValueStore } from '../../../state/kv-store.js';
import { createGitHubClient } from '../http/index.js';
import { desiredLabels, reconcileLabels } from './labels.js';

const API = 'https://api.github.test';
const gh = () =>
  createGitHubClient({
    baseUrl: API,
    token: 't',
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
  });

useStrictNock();

describe('desiredLabels', () => {
  it('keeps human labels and at most one daemon label', () => {
    expect(desiredLabels(['bug', 'codex:ignore', 'codex:claimed', 'Codex:Stale'], 'working')).toEqual([
      'bug',
      'codex:ignore',
      'codex:working',
    ]);
    expect(desiredLabels(['CODEX:WORKING', 'codex:retry'], 'working')).toEqual([
      'CODEX:WORKING',
      'codex:retry',
    ]);
    expect(desiredLabels(['codex:done', 'x'], null)).toEqual(['x']);
  });
});

describe('reconcileLabels picks one write', () => {
  it('makes no request when nothing changes', async () => {
    expect(await reconcileLabels(gh(), 'o', 'r', 1, ['bug', 'codex:working'], 'working')).toBe(0);
    expect(await reconcileLabels(gh(), 'o', 'r', 1, ['codex:ignore'], null)).toBe(0);
  });

  it('adds with POST (never a PUT that could drop a human label)', async () => {
    const scope = nock(API)
      .post('/repos/o/r/issues/1/labels', { labels: ['codex:claimed'] })
      .reply(200, [{ name: 'bug' }, { name: 'codex:claimed' }]);
    expect(await reconcileLabels(gh(), 'o', 'r', 1, ['bug'], 'claimed')).toBe(1);
    scope.done();
  });

  it('removes one label with DELETE; already gone counts as done', async () => {
    const scope = nock(API)
      .delete('/repos/o/r/issues/1/labels/codex%3Adone')
      .reply(404, { message: 'Label does not exist' });
    expect(await reconcileLabels(gh(), 'o', 'r', 1, ['codex:done', 'codex:retry'], null)).toBe(1);
    scope.done();
  });

  it('moves between states with one PUT computed from a fresh read', async () => {
    const scope = nock(API)
      .get('/repos/o/r/issues/1/labels?per_page=100')
      .reply(200, [{ name: 'codex:claimed' }, { name: 'bug' }, { name: 'codex:ignore' }])
      .put('/repos/o/r/issues/1/labels', { labels: ['bug', 'codex:ignore', 'codex:working'] })
      .reply(200, []);
    // The caller's view is older than the human's codex:ignore: the fresh read keeps it.
    expect(await reconcileLabels(gh(), 'o', 'r', 1, ['codex:claimed', 'bug'], 'working')).toBe(1);
    scope.done();
  });
});
