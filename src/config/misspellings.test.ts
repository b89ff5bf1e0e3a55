import { describe, expect, it } from 'vitest';
import { editDistance, misspelledVariables } from './misspellings.js';

describe('misspelled variables', () => {
  it('names the closest known variable for a typo of ours', () => {
    expect(
      misspelledVariables(['MAX_PARALEL', 'GITHUB_REPOSITRY', 'SHARED_STATE_MAX_RETRYS', 'EXECUTOR_COMAND']),
    ).toEqual([
      'MAX_PARALEL is not a codex-monitor variable and is ignored; did you mean MAX_PARALLEL?',
      'GITHUB_REPOSITRY is not a codex-monitor variable and is ignored; did you mean GITHUB_REPOSITORY?',
      'SHARED_STATE_MAX_RETRYS is not a codex-monitor variable and is ignored; did you mean SHARED_STATE_MAX_RETRIES?',
      'EXECUTOR_COMAND is not a codex-monitor variable and is ignored; did you mean EXECUTOR_COMMAND?',
    ]);
  });

  it('leaves known names, other programs’ names and merely unknown names alone', () => {
    const ci = [
      'MAX_PARALLEL',
      'GITHUB_TOKEN',
      'GITHUB_ACTIONS',
      'GITHUB_ACTION',
      'GITHUB_SHA',
      'GITHUB_WORKSPACE',
      'GITHUB_REF',
      'GITHUB_REPOSITORY_OWNER',
      'GITHUB_REPOSITORY_ID',
      'GITHUB_API',
      'GITHUB_SERVER_URL',
      'GITHUB_ENV',
      'GITHUB_JOB',
      'GITHUB_RUN_ID',
      'MAX_OLD_SPACE',
      'CODEX_MONITOR_SOMETHING_NEW_ENTIRELY',
      'PATH',
      'HOME',
    ];
    expect(misspelledVariables(ci)).toEqual([]);
  });

  it('computes edit distances', () => {
    expect(editDistance('MAX_PARALEL', 'MAX_PARALLEL')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3);
  });
});
