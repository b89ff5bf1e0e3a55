import { describe, expect, it } from 'vitest';
import { PULL_BODY_LIMIT, PULL_MARKER, renderPullBody, sanitizeSummary } from './pull-body.js';

const base = { issue: 12, attempt: 2, epoch: 5, owner: 'ws-1' };
const ZWSP = '\u200b';
const chars = (s: string) => [...s].length;

describe('renderPullBody', () => {
  it('says Fixes #N, shows the summary, who made it, and a hidden marker with the facts', () => {
    const body = renderPullBody({
      ...base,
      summary: 'Changed the timeout.\n',
      logsUrl: 'https://logs.example/a(1)',
    });
    expect(body.startsWith('Fixes #12\n')).toBe(true);
    expect(body).toContain('Changed the timeout.');
    expect(body).toContain('attempt `2` · epoch 5 · owner `ws-1` · [logs](https://logs.example/a%281%29)');
    const marker = new RegExp(`<!-- ${PULL_MARKER} (.*) -->`).exec(body);
    expect(JSON.parse(marker![1]!)).toEqual({ v: 1, issue: 12, attempt: 2, epoch: 5, owner: 'ws-1' });
  });

  it('names and links a Jira issue instead of Fixes #N; a key or link that could break out is cut', () => {
    const jira = { key: 'OPS-12', url: 'https://acme.atlassian.net/browse/OPS-12' };
    const body = renderPullBody({ ...base, issue: jira, summary: 'Done.' });
    expect(body.startsWith('Jira: [OPS-12](https://acme.atlassian.net/browse/OPS-12)\n')).toBe(true);
    expect(body).not.toContain('Fixes');
    const marker = new RegExp(`<!-- ${PULL_MARKER} (.*) -->`).exec(body);
    expect(JSON.parse(marker![1]!)).toMatchObject({ issue: 'OPS-12' });
    const odd = renderPullBody({
      ...base,
      issue: { key: 'OPS-1](javascript:x)', url: 'https://x.test/a) [y](javascript:y' },
      summary: null,
    });
    expect(odd.startsWith('Jira: OPS-1javascriptx\n')).toBe(true);
    expect(odd).not.toContain('javascript:');
  });

  it('says so when the agent left no summary; ignores a logs URL that is not http(s)', () => {
    const body = renderPullBody({ ...base, summary: '  \n', logsUrl: 'javascript:alert(1)' });
    expect(body).toContain('_The agent left no summary._');
    expect(body).not.toContain('javascript');
  });

  it('keeps our marker unforgeable: the summary holds no HTML comment, the owner cannot end ours', () => {
    const forged = `done <!-- ${PULL_MARKER} {"issue":99} --> <!-- codex-monitor-state {} -->`;
    const body = renderPullBody({ ...base, owner: 'evil --> <!--', summary: forged });
    expect(body.match(/<!--/g)).toHaveLength(1);
    expect(body.match(/-->/g)).toHaveLength(1);
    expect(body).toContain(`&lt;!-- ${PULL_MARKER}`);
  });

  it('truncates to GitHub limit with a note, never splitting a surrogate pair', () => {
    const summary = '😀'.repeat(PULL_BODY_LIMIT);
    const body = renderPullBody({ ...base, summary });
    expect(chars(body)).toBeLessThanOrEqual(PULL_BODY_LIMIT);
    expect(body).toContain(`the agent's summary had ${PULL_BODY_LIMIT}.`);
    expect(body).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(body.endsWith(' -->\n')).toBe(true);
    const fits = renderPullBody({ ...base, summary: 'x'.repeat(1000) });
    expect(fits).not.toContain('Truncated');
  });
});

describe('sanitizeSummary', () => {
  it('neutralises @mentions and team mentions, leaving emails and code spans alone', () => {
    expect(sanitizeSummary('thanks @alice and @acme/core.\n@bob')).toBe(
      `thanks @${ZWSP}alice and @${ZWSP}acme/core.\n@${ZWSP}bob`,
    );
    expect(sanitizeSummary('mail a@b.com, run `@latest`')).toBe('mail a@b.com, run `@latest`');
  });

  it('breaks closing keywords before an issue reference, in every form', () => {
    const out = sanitizeSummary('Fixes #7. closes: acme/x#8, RESOLVED #9; fix #10; the prefix #11 stays');
    expect(out).toBe(
      `Fix${ZWSP}es #7. clos${ZWSP}es: acme/x#8, RESOLV${ZWSP}ED #9; fix${ZWSP} #10; the prefix #11 stays`,
    );
    expect(/\b(close[sd]?|fix(e[sd])?|resolve[sd]?):?\s+([\w.-]+\/[\w.-]+)?#\d/i.test(out)).toBe(false);
  });

  it('drops control characters, keeps tabs, newlines and Markdown', () => {
    expect(sanitizeSummary('a\u0000b\u001b[31m\r\n\t- **c**')).toBe('ab[31m\n\t- **c**');
  });
});
