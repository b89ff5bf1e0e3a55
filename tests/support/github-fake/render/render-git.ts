/** JSON representations of git refs, commits and trees. */
import { iso } from '../clock.js';
import type { CommitObject, GitIdentity, GitObject, RepoRecord, TreeObject } from '../model/records.js';
import { nodeId, type Renderer, repoApi } from './render.js';

const typePath: Record<GitObject['type'], string> = { commit: 'commits', tree: 'trees', blob: 'blobs' };

export function renderRef(r: Renderer, repo: RepoRecord, ref: string, sha: string, asOf?: number) {
  const base = repoApi(r, repo);
  const type = repo.objects.get(sha, asOf)?.type ?? 'commit';
  return {
    ref,
    node_id: nodeId('Ref', `${repo.id}:${ref}`),
    url: `${base}/git/${ref}`,
    object: { sha, type, url: `${base}/git/${typePath[type]}/${sha}` },
  };
}

const identity = (id: GitIdentity) => ({ name: id.name, email: id.email, date: iso(id.date) });

export function renderCommit(r: Renderer, repo: RepoRecord, commit: CommitObject) {
  const base = repoApi(r, repo);
  const html = `${r.html}/${repo.owner}/${repo.name}/commit`;
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', commit.sha),
    url: `${base}/git/commits/${commit.sha}`,
    html_url: `${html}/${commit.sha}`,
    author: identity(commit.author),
    committer: identity(commit.committer),
    tree: { sha: commit.tree, url: `${base}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${base}/git/commits/${sha}`,
      html_url: `${html}/${sha}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

export function renderTree(r: Renderer, repo: RepoRecord, tree: TreeObject) {
  const base = repoApi(r, repo);
  return {
    sha: tree.sha,
    url: `${base}/git/trees/${tree.sha}`,
    tree: tree.entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size === undefined ? {} : { size: e.size }),
      url: `${base}/git/${e.type === 'blob' ? 'blobs' : 'trees'}/${e.sha}`,
    })),
    truncated: false,
  };
}
