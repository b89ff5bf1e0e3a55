import { errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import type { GitHubIdentity } from './github-auth.js';
import type { GitHubClient } from './http/index.js';
import type { RefLedger } from './ledger/index.js';
import { CODEX_LABELS } from './mirror/index.js';
import { type ProjectSync, projectChecks } from './project/index.js';

export interface Check {
  name: string;
  ok: boolean;
  /** A warning does not fail the doctor, but deserves a look. */
  warn?: boolean;
  detail: string;
  /** Facts for `--json` readers (the identity, the budget), beside the sentence. */
  info?: Record<string, string | number>;
}

export interface DoctorInput {
  client: GitHubClient;
  ledger: RefLedger;
  owner: string;
  repo: string;
  now: () => number;
  /** Who the client is (openGitHubAuth's `identity`); default: a token. */
  identity?: () => Promise<GitHubIdentity>;
  /** Why the ledger speaks its transport (LEDGER_TRANSPORT), shown with the write probe. */
  ledgerReason?: string;
  /** GITHUB_PROJECT: its project, field and options are checked too. */
  project?: ProjectSync;
}

/**
 * Checks that a workstation can run the GitHub board: the token and what it may do, the
 * labels, the rate limit left, and how far this machine's clock is from GitHub's. The probes
 * leave nothing behind but one unreferenced commit object (git collects it).
 */
export async function runDoctor(input: DoctorInput): Promise<Check[]> {
  const { client, owner, repo } = input;
  const checks: Check[] = [];
  const check = async (name: string, run: () => Promise<Omit<Check, 'name'>>) => {
    try {
      checks.push({ name, ...(await run()) });
    } catch (error) {
      // An error may quote a URL: never print the credentials it may carry.
      checks.push({ name, ok: false, detail: redactUrl(errorMessage(error)) });
    }
  };

  // Whose budget the rate-limit check below reports: the user's, or the app installation's.
  let budgetOf = 'this token';
  await check('identity', async () => {
    const who = await describeIdentity(client, input.identity ? await input.identity() : { kind: 'token' });
    budgetOf = who.budgetOf;
    return { ok: true, detail: who.detail, info: who.info };
  });

  let repoOk = false;
  let clockCheck: Check | null = null;
  await check('token and repository', async () => {
    const sent = input.now();
    const { data, headers } = await client.rest.repos.get({ owner, repo });
    const received = input.now();
    repoOk = true;
    const date = Date.parse(String(headers.date ?? ''));
    const offset = Number.isNaN(date) ? null : Math.round(date - (sent + received) / 2);
    if (offset !== null) {
      // GitHub's Date has whole seconds: an offset under 2 s is noise.
      clockCheck = {
        name: 'clock offset from GitHub',
        ok: true,
        warn: Math.abs(offset) > 60_000,
        detail:
          `${offset >= 0 ? '+' : ''}${offset} ms (Date header vs this machine). The ledger never compares ` +
          'wall clocks, so skew causes no takeover; it only makes logs harder to line up.',
      };
    }
    const p = (data as { permissions?: Record<string, boolean> }).permissions;
    const role = p ? (Object.entries(p).find(([, v]) => v)?.[0] ?? 'none') : 'unknown';
    return {
      ok: true,
      detail: `${data.full_name} (default branch ${data.default_branch}); your highest role: ${role}`,
    };
  });
  if (clockCheck) checks.push(clockCheck);
  if (!repoOk) return checks;

  await check(`claim ledger: write refs (${input.ledger.transport.kind})`, async () => {
    await input.ledger.init(); // proves reads and commits, with a clear error if not
    const probed = await input.ledger.probeWrite();
    return { ok: true, detail: input.ledgerReason ? `${input.ledgerReason}: ${probed}` : probed };
  });

  await check('issues and labels', async () => {
    const { data } = await client.rest.issues.listLabelsForRepo({ owner, repo, per_page: 100 });
    const names = new Set(data.map((l) => l.name.toLowerCase()));
    const missing = CODEX_LABELS.filter((l) => !names.has(l.name.toLowerCase())).map((l) => l.name);
    return missing.length === 0
      ? { ok: true, detail: 'all codex:* labels exist' }
      : {
          ok: true,
          warn: true,
          detail: `missing ${missing.join(', ')}: the daemon creates them at start-up (needs issues: write)`,
        };
  });

  if (input.project) checks.push(...(await projectChecks(input.project, input.project.settings)));

  await check('rate limit', async () => {
    const { data } = await client.rest.rateLimit.get();
    const core = data.resources.core;
    const resetIn = Math.max(0, core.reset * 1000 - input.now());
    return {
      ok: core.remaining > 0,
      warn: core.remaining < core.limit / 10,
      detail: `${budgetOf}: ${core.remaining} of ${core.limit} requests left this hour; resets in ${Math.round(resetIn / 60_000)} min`,
      info: {
        budget: budgetOf,
        limit: core.limit,
        remaining: core.remaining,
        used: core.used,
        reset: core.reset,
      },
    };
  });
  return checks;
}

/**
 * Who the client acts as, and whose rate budget it spends: a token's user (GET /user), whose
 * 5,000 requests an hour are shared with everything else that user runs, or an app's
 * installation (its bot user, a budget of its own).
 */
async function describeIdentity(
  client: GitHubClient,
  identity: GitHubIdentity,
): Promise<{ detail: string; budgetOf: string; info: Record<string, string | number> }> {
  if (identity.kind === 'app') {
    const { appId, installationId, slug, botLogin } = identity;
    return {
      detail:
        `GitHub App ${slug} (id ${appId}), installation ${installationId}, acting as ${botLogin}: ` +
        'a rate budget of its own (5,000–12,500 requests an hour), shared with no person',
      budgetOf: `installation ${installationId} of ${slug}`,
      info: { kind: 'app', appId, slug, installationId, login: botLogin },
    };
  }
  const { data } = await client.rest.users.getAuthenticated();
  return {
    detail: `token of ${data.login}: its budget is ${data.login}'s, shared with everything else ${data.login} runs (gh, the IDE, other tools)`,
    budgetOf: `user ${data.login}`,
    info: { kind: 'token', login: data.login },
  };
}
