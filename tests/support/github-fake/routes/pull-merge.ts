/** PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge: merging as a maintainer would. */
import { objectBody } from '../http.js';
import { mergePull } from '../model/pull-merge.js';
import { ok, type RouteDef, routesFor, stringField } from './context.js';
import { mustPull } from './pull-model.js';

const DOCS = 'pulls/pulls#merge-a-pull-request';

/** Merging writes to the repository: GitHub asks for the contents permission. */
export function mergeRoute(): RouteDef {
  return routesFor('contents').put('/repos/{owner}/{repo}/pulls/{pull_number}/merge', DOCS, (req) => {
    const { repo, issue } = mustPull(req, DOCS);
    const body = objectBody(req.body);
    const sha = stringField(body, 'sha', DOCS);
    const title = stringField(body, 'commit_title', DOCS);
    const extra = stringField(body, 'commit_message', DOCS);
    const message = title === undefined ? undefined : `${`${title}\n\n${extra ?? ''}`.trimEnd()}\n`;
    const result = mergePull(req.store, repo, issue.number, {
      by: req.profile.login ?? 'test-user',
      ...(sha !== undefined ? { sha } : {}),
      ...(message !== undefined ? { message } : {}),
    });
    return ok({ sha: result.sha, merged: true, message: 'Pull Request successfully merged' });
  });
}
