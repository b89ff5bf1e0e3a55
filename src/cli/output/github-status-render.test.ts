import { describe, expect, it } from 'vitest';
import { renderGitHubStatus } from './github-status-render.js';

describe('renderGitHubStatus: pull requests', () => {
  it('names the PR a blocked issue waits for, and the dependencies that have none; an old status has no PR column values', () => {
    const text = renderGitHubStatus(
      {
        limit: null,
        pendingReleases: [],
        status: {
          repository: 'acme/widgets',
          at: 0,
          tasks: [
            { issue: 3, title: 'Old', verdict: 'held', holder: 'a', ledger: 'held', epoch: 1, retryCount: 0 },
            {
              issue: 4,
              title: 'New',
              verdict: 'done',
              holder: 'a',
              ledger: 'done',
              epoch: 2,
              retryCount: 0,
              pr: 9,
            },
            {
              issue: 7,
              title: 'Merged',
              verdict: 'done',
              holder: 'b',
              ledger: 'done',
              epoch: 3,
              retryCount: 1,
              pr: 11,
              prState: 'merged',
            },
          ],
          blocked: [
            { issue: 5, waitingOn: [3, 4], pulls: [{ issue: 4, pr: 9 }] },
            { issue: 6, waitingOn: [3] },
          ],
          cycles: [],
        },
      },
      1000,
    );
    expect(text).toMatch(/#3 +held +held +a +1 +0 +- +Old/);
    expect(text).toMatch(/#4 +done +done +a +2 +0 +#9 +New/);
    expect(text).toMatch(/#7 +done +done +b +3 +1 +#11 merged +Merged/);
    expect(text).toContain('#5 waiting for PR #9 (of #4); waits on #3\n');
    expect(text).toContain('#6 waits on #3\n');
  });
});
