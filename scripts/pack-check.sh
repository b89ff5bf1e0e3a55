#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (prepack builds dist/), the tarball's contents, a
# global install from it into a temporary prefix (dependencies from npm's cache when there;
# better-sqlite3's build reused from this checkout when it is the same version, see below), then the
# installed `codex-monitor` run OUTSIDE this repository: --help of every command and the
# local-board quick start on the packaged examples/dag.yaml.
# Run by .ci/run after `npm test`, and by `npm run check:pack`.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d "${TMPDIR:-/tmp}/codex-monitor-pack.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
started=$SECONDS
fail() { echo "pack-check: $*" >&2; exit 1; }
# Each step with the seconds since the start, to see where the time goes.
say() { echo "pack-check [$((SECONDS - started)) s]: $*"; }

say "npm pack (prepack builds dist/)"
npm pack --silent --pack-destination "$tmp" >"$tmp/pack.out"
tarball="$tmp/$(tail -n 1 "$tmp/pack.out")"
[ -f "$tarball" ] || fail "npm pack wrote no tarball (it said: $(cat "$tmp/pack.out"))"

tar -tzf "$tarball" | sed 's#^package/##' | sort >"$tmp/contents"
for wanted in package.json README.md LICENSE .env.example dist/cli/main.js examples/dag.yaml docs/operations.md; do
  grep -qxF "$wanted" "$tmp/contents" || fail "the tarball lacks $wanted"
done
if grep -E '\.map$|\.test\.js$|^(src|tests|bench)/' "$tmp/contents"; then
  fail "the tarball ships the files above (source maps, tests or sources)"
fi

say "npm install -g from the tarball into a temporary prefix"
prefix="$tmp/prefix"
installed="$prefix/lib/node_modules/codex-monitor"
addon=node_modules/better-sqlite3
install() {
  npm install --global --prefix "$prefix" --prefer-offline --no-audit --no-fund --loglevel=error "$@" "$tarball" >/dev/null
}
# better-sqlite3's install script compiles it from source where no prebuilt binary can be
# downloaded (2–3 minutes on two cores). When this checkout holds the very same version,
# compiled for this Node by `npm ci`, the install skips install scripts and takes that build;
# otherwise it installs as a user's machine would.
if [ -f "$addon/build/Release/better_sqlite3.node" ]; then
  install --ignore-scripts
  version() { node -p "require('./$1/package.json').version"; }
  if [ "$(version "$addon")" = "$(cd "$installed" && version "$addon")" ]; then
    cp -R "$addon/build" "$installed/$addon/"
    say "reused this checkout's build of better-sqlite3 $(version "$addon")"
  else
    rm -rf "$prefix"
    install
  fi
else
  install
fi
cli="$prefix/bin/codex-monitor"
[ -x "$cli" ] || fail "the install put no codex-monitor in $prefix/bin"

# Outside the repository, with no configuration of this machine's user: no .env, no GITHUB_*.
work="$tmp/work"
mkdir -p "$work"
cd "$work"
run() {
  env -u GITHUB_TOKEN -u GITHUB_REPOSITORY -u GITHUB_API_URL -u CODEX_MONITOR_STATE_DIR \
    PATH="$prefix/bin:$PATH" "$@"
}

run codex-monitor --help >"$tmp/help" || fail "codex-monitor --help failed"
# Every command the installed program lists answers --help.
commands="$(sed -n '/^Commands:/,$p' "$tmp/help" | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' | grep -vx help)"
[ -n "$commands" ] || fail "codex-monitor --help lists no commands"
for command in $commands; do
  run codex-monitor "$command" --help >/dev/null || fail "codex-monitor $command --help failed"
done
say "--help of $(echo $commands | tr ' ' ',') answered"
# init is listed above too; this line says it is required.
run codex-monitor init --help >/dev/null || fail "codex-monitor init --help failed"

say "the local-board quick start in $work"
set +e
SHARED_STATE_BACKOFF_BASE_MS=1000 MAX_PARALLEL=2 LOG_LEVEL=warn \
  run codex-monitor run --state-dir "$work/state" --seed "$installed/examples/dag.yaml" --until-idle >"$tmp/run.out" 2>&1
code=$?
set -e
# Exit 1 is the example's poisoned task (as in `npm start`); anything else is a failure.
if [ "$code" -ne 1 ] || ! grep -q "1 poisoned task" "$tmp/run.out"; then
  cat "$tmp/run.out" >&2
  fail "the quick start exited $code (expected 1, for the example's poisoned task)"
fi
[ -n "$(ls -A "$work/state" 2>/dev/null)" ] || fail "the quick start left no state in $work/state"
say "ok"
