/**
 * Every GraphQL document the daemon sends is valid against GitHub's published schema
 * (@octokit/graphql-schema): a misspelt field fails here, not on a user's board. The documents
 * are exported constants; a scan of src/ makes sure no document is sent without being exported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DOCUMENTS } from '../../src/boards/github/project/index.js';
import { MARK_READY } from '../../src/boards/github/pulls/index.js';
import { validateAgainstGitHub } from '../support/github-schema.js';

const DOCUMENTS: Record<string, string> = { MARK_READY, ...PROJECT_DOCUMENTS };

/** Template literals in src/ that start a GraphQL operation. */
function documentsInSource(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .flatMap((e) => {
      const text = readFileSync(join(e.parentPath, e.name), 'utf8');
      return [...text.matchAll(/`(\s*(?:query|mutation)\s+\w+\s*[({][^`]*)`/g)].map((m) => m[1]!);
    });
}

describe("the daemon's GraphQL documents", () => {
  it.each(Object.entries(DOCUMENTS))('%s validates against GitHub’s schema', (_name, document) => {
    expect(validateAgainstGitHub(document).map((e) => e.message)).toEqual([]);
  });

  it('fails on a misspelt field or argument, so the test above can fail', () => {
    const misspelt = PROJECT_DOCUMENTS.SET_STATUS_MUTATION.replace(
      'singleSelectOptionId',
      'singleSelectOption',
    );
    expect(
      validateAgainstGitHub(misspelt)
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(/singleSelectOption/);
    const field = PROJECT_DOCUMENTS.PROJECT_ITEMS_QUERY.replace('endCursor', 'endCursr');
    expect(
      validateAgainstGitHub(field)
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(/endCursr/);
  });

  it('are all exported: no GraphQL document in src/ escapes this test', () => {
    const found = documentsInSource(join(import.meta.dirname, '../../src'));
    expect(found.length).toBeGreaterThanOrEqual(Object.keys(DOCUMENTS).length);
    for (const document of found) expect(Object.values(DOCUMENTS)).toContain(document);
  });
});
