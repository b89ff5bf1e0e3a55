import { text, type VariableSpec } from './variable-schemas.js';

/**
 * GitHub Projects (v2): the card follows the ledger like the labels (a mirror, never the
 * authority), and optionally one column feeds the queue.
 */
export const PROJECT_VARIABLES = [
  {
    name: 'GITHUB_PROJECT',
    board: 'github',
    schema: text.regex(
      /^(\d+|https:\/\/[^/\s]+\/(orgs|users)\/[A-Za-z0-9][A-Za-z0-9-]*\/projects\/\d+\/?(\/views\/\d+\/?)?)$/,
    ),
    expected:
      'a project number (the repository owner’s project) or its URL, e.g. https://github.com/orgs/acme/projects/3',
    doc: 'A GitHub Projects (v2) board whose Status column follows each issue (PROJECT_STATUS_MAP). The token needs the project scope. Unset: no project sync.',
  },
  {
    name: 'PROJECT_STATUS_FIELD',
    board: 'github',
    schema: text,
    default: 'Status',
    expected: 'the name of a single-select field of the project',
    doc: 'The project field that holds the column (a single-select field).',
  },
  {
    name: 'PROJECT_STATUS_MAP',
    board: 'github',
    schema: text.regex(/^\s*[a-z]+\s*=[^,]*(,\s*[a-z]+\s*=[^,]*)*$/),
    default: 'claimed=In progress,review=In review,done=Done,poisoned=Blocked',
    expected:
      'state=option pairs separated by commas (states: claimed, review, done, poisoned), e.g. claimed=In progress,done=Done',
    doc: 'Which column each state moves the card to: claimed (claimed or working), review (a pull request opened), done, poisoned. A state mapped to nothing (done=) or to an option the project lacks leaves the card alone; options are never created.',
  },
  {
    name: 'PROJECT_READY_STATUS',
    board: 'github',
    schema: text,
    expected: 'the name of an option of the status field, e.g. Ready',
    doc: 'If set, only issues whose card is in this column are eligible: a team plans on the board and the fleet picks from it.',
  },
] as const satisfies readonly VariableSpec[];
