import { describe, expect, it } from 'vitest';
import { stateCommentTrust } from './github-auth.js';

describe('the trust of state comments', () => {
  it("adds the app's own bot to the configured logins once its login is known", () => {
    const app: { botLogin: string | undefined } = { botLogin: undefined };
    const trust = stateCommentTrust(['OWNER'], ['alice-bot'], app);
    expect(trust.logins).toEqual(['alice-bot']);
    app.botLogin = 'codex-fleet[bot]'; // the first request answered GET /app
    expect(trust).toMatchObject({ associations: ['OWNER'], logins: ['alice-bot', 'codex-fleet[bot]'] });
    expect(stateCommentTrust([], ['Codex-Fleet[bot]'], app).logins).toEqual(['Codex-Fleet[bot]']); // once, any case
  });

  it('is the configured logins with a token', () => {
    expect(stateCommentTrust(['OWNER'], ['alice-bot'], undefined).logins).toEqual(['alice-bot']);
  });
});
