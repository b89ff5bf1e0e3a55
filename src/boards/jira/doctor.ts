/**
 * `doctor` for the Jira board: the credentials (whom Jira sees), JIRA_JQL (Jira parses and runs
 * it), the git ledger (refs can be written), and whether the configured statuses can be reached
 * by a transition from where the selected issues stand. Nothing is changed in Jira.
 */
import { errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import type { RefLedger } from '../github/ledger/index.js';
import type { JiraApi } from './jira-api.js';

/** As the GitHub doctor's Check (commands/doctor.ts prints both). */
export interface JiraCheck {
  name: string;
  ok: boolean;
  warn?: boolean;
  detail: string;
  info?: Record<string, string | number>;
}

export interface JiraDoctorInput {
  api: JiraApi;
  ledger: Pick<RefLedger, 'init' | 'probeWrite' | 'transport'>;
  jql: string;
  /** Target statuses by role ('' : not used). */
  statuses: Record<string, string>;
  ledgerReason?: string;
}

/** Issues whose transitions are listed to judge reachability (one request each). */
const SAMPLE = 10;

export async function runJiraDoctor(input: JiraDoctorInput): Promise<JiraCheck[]> {
  const checks: JiraCheck[] = [];
  const check = async (name: string, run: () => Promise<Omit<JiraCheck, 'name'>>) => {
    try {
      checks.push({ name, ...(await run()) });
      return true;
    } catch (error) {
      checks.push({ name, ok: false, detail: redactUrl(errorMessage(error)) });
      return false;
    }
  };
  const who = await check('Jira credentials', async () => {
    const me = await input.api.myself();
    return {
      ok: true,
      detail: `acting as ${me.displayName} (${me.accountId}); JQL dates are read in ${me.timeZone}`,
      info: { accountId: me.accountId, timeZone: me.timeZone },
    };
  });
  if (!who) return checks;
  let sample: { key: string; status: string }[] = [];
  await check('JIRA_JQL', async () => {
    const { issues, next } = await input.api.search(`(${input.jql}) ORDER BY updated DESC`, {
      maxResults: 50,
    });
    sample = issues.slice(0, SAMPLE).map((i) => ({ key: i.key, status: i.fields.status?.name ?? '' }));
    const count = `${issues.length}${next ? '+' : ''}`;
    return {
      ok: true,
      warn: issues.length === 0,
      detail:
        issues.length === 0
          ? `${input.jql}: valid, but selects no issue`
          : `${input.jql}: selects ${count} issues`,
      info: { selected: count },
    };
  });
  await check(`claim ledger: write refs (${input.ledger.transport.kind})`, async () => {
    await input.ledger.init();
    const probed = await input.ledger.probeWrite();
    return { ok: true, detail: input.ledgerReason ? `${input.ledgerReason}: ${probed}` : probed };
  });
  for (const [role, target] of Object.entries(input.statuses)) {
    if (!target) continue;
    await check(`transition to "${target}" (${role})`, async () => {
      if (sample.length === 0) return { ok: true, warn: true, detail: 'no selected issue to check it on' };
      const from: string[] = [];
      for (const issue of sample) {
        if (issue.status.toLowerCase() === target.toLowerCase())
          return { ok: true, detail: `${issue.key} is there already` };
        const list = await input.api.transitions(issue.key);
        if (list.some((t) => t.to.name.toLowerCase() === target.toLowerCase()))
          return { ok: true, detail: `reachable, e.g. from "${issue.status}" (${issue.key})` };
        from.push(`"${issue.status}" (${issue.key})`);
      }
      return {
        ok: true,
        warn: true,
        detail: `no transition to "${target}" from ${[...new Set(from)].join(', ')}: the mirror will skip it with a warning. Check the workflow, or the status name`,
      };
    });
  }
  return checks;
}
