/**
 * Real bare git repositories behind the fake's pull requests: daemons clone and push to
 * `<root>/<owner>/<repo>.git` with plain git, and the pull routes read branches from there.
 *
 * Every call is synchronous (`execFileSync`) on purpose: route handlers run in one synchronous
 * turn (pipeline.ts), so a check of a branch and the write that depends on it cannot be
 * separated by another request. Each call takes a few milliseconds; this is a test fake.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { commitText } from './git.js';
import type { CommitObject, RepoRecord, TreeObject } from './records.js';

/** No user or system configuration may change what git does here (hooks, signing, templates). */
const GIT_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};

export interface Identity {
  name: string;
  email: string;
  /** Wall-clock ms. */
  date: number;
}

export interface DiffStat {
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
}

export class BareRepos {
  constructor(readonly root: string) {}

  path(owner: string, name: string): string {
    return join(this.root, owner, `${name}.git`);
  }

  /**
   * (Re)creates the bare repository of `repo` holding the fake's own initial commit, byte for
   * byte: its default branch has the same sha in git as in the fake's git data API.
   */
  create(repo: RepoRecord, initial: CommitObject): void {
    const dir = this.path(repo.owner, repo.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    git(dir, ['init', '--quiet', '--bare', `--initial-branch=${repo.defaultBranch}`]);
    const tree = repo.objects.get(initial.tree) as TreeObject;
    for (const entry of tree.entries) {
      const blob = repo.objects.get(entry.sha);
      if (blob?.type !== 'blob') continue;
      git(dir, ['hash-object', '-w', '--stdin'], blob.content);
    }
    const listing = tree.entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.path}\n`).join('');
    git(dir, ['mktree'], listing);
    const sha = git(dir, ['hash-object', '-t', 'commit', '-w', '--stdin'], commitText(initial)).trim();
    if (sha !== initial.sha) throw new Error(`bare repository commit ${sha} differs from ${initial.sha}`);
    git(dir, ['update-ref', `refs/heads/${repo.defaultBranch}`, sha]);
  }

  /** Every branch (name without `refs/heads/`) and its sha, read in one call. */
  branches(owner: string, name: string): Map<string, string> {
    const out = git(this.path(owner, name), [
      'for-each-ref',
      '--format=%(objectname) %(refname)',
      'refs/heads/',
    ]);
    const branches = new Map<string, string>();
    for (const line of out.split('\n')) {
      const m = /^([0-9a-f]{40}) refs\/heads\/(.+)$/.exec(line);
      if (m) branches.set(m[2]!, m[1]!);
    }
    return branches;
  }

  /** Deletes a branch (pushed over git, so only the bare repository has it); false if absent. */
  deleteBranch(owner: string, name: string, branch: string): boolean {
    if (!this.branches(owner, name).has(branch)) return false;
    git(this.path(owner, name), ['update-ref', '-d', `refs/heads/${branch}`]);
    return true;
  }

  /** Commits on `head` not on `base`, and the diff of `head` against their merge base. */
  diffStat(owner: string, name: string, base: string, head: string): DiffStat {
    const dir = this.path(owner, name);
    const commits = Number(git(dir, ['rev-list', '--count', `${base}..${head}`]).trim());
    let additions = 0;
    let deletions = 0;
    let changedFiles = 0;
    for (const line of git(dir, ['diff', '--numstat', `${base}...${head}`]).split('\n')) {
      const m = /^(\d+|-)\t(\d+|-)\t/.exec(line);
      if (!m) continue;
      changedFiles++;
      additions += m[1] === '-' ? 0 : Number(m[1]);
      deletions += m[2] === '-' ? 0 : Number(m[2]);
    }
    return { commits, additions, deletions, changedFiles };
  }

  /** Commits on `head` not on `base` (0: nothing to merge). */
  ahead(owner: string, name: string, base: string, head: string): number {
    return Number(git(this.path(owner, name), ['rev-list', '--count', `${base}..${head}`]).trim());
  }

  /**
   * Merges `headSha` into branch `base` with a merge commit (GitHub's default method), moving
   * the branch only if it is still at `baseSha`. Returns the merge commit, or null on a conflict.
   */
  merge(
    owner: string,
    name: string,
    spec: { base: string; baseSha: string; headSha: string; message: string; who: Identity },
  ): string | null {
    const dir = this.path(owner, name);
    let tree: string;
    try {
      tree = git(dir, ['merge-tree', '--write-tree', spec.baseSha, spec.headSha]).split('\n')[0]!.trim();
    } catch {
      return null; // exit status 1: conflicts
    }
    const seconds = `${Math.floor(spec.who.date / 1000)} +0000`;
    const env = {
      GIT_AUTHOR_NAME: spec.who.name,
      GIT_AUTHOR_EMAIL: spec.who.email,
      GIT_AUTHOR_DATE: seconds,
      GIT_COMMITTER_NAME: spec.who.name,
      GIT_COMMITTER_EMAIL: spec.who.email,
      GIT_COMMITTER_DATE: seconds,
    };
    const args = ['commit-tree', tree, '-p', spec.baseSha, '-p', spec.headSha, '-F', '-'];
    const sha = git(dir, args, spec.message, env).trim();
    git(dir, ['update-ref', `refs/heads/${spec.base}`, sha, spec.baseSha]);
    return sha;
  }
}

function git(dir: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    input,
    env: { ...GIT_ENV, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
