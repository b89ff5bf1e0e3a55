/**
 * The layer rules of docs/architecture.md ("Layers"), checked by `npm run lint`.
 * Each rule names the table row it enforces; change the table and this file together.
 * Type-only imports count: a layer that needs another's types depends on it.
 */

/** Everything of ours in src/ except `layers` (folders, with the trailing slash). */
const outside = (...layers) => ({ path: '^src/', pathNot: layers.map((l) => `^src/${l}`) });

const GH = '^src/boards/github/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment:
        'An import cycle in src/ (type-only imports included): break it by moving the shared part down a layer.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-imports-nothing',
      comment: 'src/core imports nothing else of ours (docs/architecture.md, Layers).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: outside('core/'),
    },
    {
      name: 'host-on-core',
      comment: "src/host (this host's processes: /proc, process groups, running git) depends on core only.",
      severity: 'error',
      from: { path: '^src/host/' },
      to: outside('host/', 'core/'),
    },
    {
      name: 'config-on-core',
      comment: 'src/config depends on core only.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: outside('config/', 'core/'),
    },
    {
      name: 'notify-on-core',
      comment:
        'src/notify (webhook and Telegram delivery) depends on core only; boards and the daemon raise notifications through core/notification.ts, the CLI builds the Notifier.',
      severity: 'error',
      from: { path: '^src/notify/' },
      to: outside('notify/', 'core/'),
    },
    {
      name: 'only-cli-builds-notifier',
      comment:
        'Only src/cli imports src/notify: the rest hands notifications to the NotificationSink it was given.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/notify/'] },
      to: { path: '^src/notify/' },
    },
    {
      name: 'state-on-core',
      comment: 'src/state depends on core and host only.',
      severity: 'error',
      from: { path: '^src/state/' },
      to: outside('state/', 'core/', 'host/'),
    },
    {
      name: 'executors-on-core',
      comment: 'src/executors depends on core and host only.',
      severity: 'error',
      from: { path: '^src/executors/' },
      to: outside('executors/', 'core/', 'host/'),
    },
    {
      name: 'workspaces-on-core-host',
      comment: 'src/workspaces (git worktrees, commit, push) depends on core and host only.',
      severity: 'error',
      from: { path: '^src/workspaces/' },
      to: outside('workspaces/', 'core/', 'host/'),
    },
    {
      name: 'workspaces-entry-only',
      comment: 'Outside src/workspaces, import only its index.ts (unit tests beside the code excepted).',
      severity: 'error',
      from: { pathNot: '^src/workspaces/' },
      to: { path: '^src/workspaces/', pathNot: '^src/workspaces/index\\.ts$' },
    },
    {
      name: 'daemon-on-core-executors',
      comment: 'src/daemon depends on core, host, executors and workspaces only.',
      severity: 'error',
      from: { path: '^src/daemon/' },
      to: outside('daemon/', 'core/', 'host/', 'executors/', 'workspaces/'),
    },
    {
      name: 'serve-on-core-state-config',
      comment:
        'src/serve (the HTTP server, JSON API, pages) depends on core, state and config only; the status frame, the board and its steering are injected by the CLI.',
      severity: 'error',
      from: { path: '^src/serve/' },
      to: outside('serve/', 'core/', 'state/', 'config/'),
    },
    {
      name: 'boards-on-core-state-daemon',
      comment:
        'A board (src/boards/*) depends on core, host, state and daemon, and on src/boards/ shared files; never on config, executors or cli: values are passed in.',
      severity: 'error',
      from: { path: '^src/boards/' },
      to: outside('boards/', 'core/', 'host/', 'state/', 'daemon/'),
    },
    {
      name: 'boards-use-daemon-types',
      comment: "A board implements the daemon's interfaces: it imports types from src/daemon, no code.",
      severity: 'error',
      from: { path: '^src/boards/' },
      to: { path: '^src/daemon/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'boards-independent',
      comment: 'The local and the GitHub board do not import each other.',
      severity: 'error',
      from: { path: '^src/boards/(local|github)/' },
      to: { path: '^src/boards/(local|github)/', pathNot: '^src/boards/$1/' },
    },
    {
      name: 'ledger-boards-on-git-ledger',
      comment:
        'The ledger board core (src/boards/ledger) imports no board, and the Jira board neither the local nor the GitHub board: both use the git ledger through src/boards/github/ledger/index.ts only.',
      severity: 'error',
      from: { path: '^src/boards/(ledger|jira)/' },
      to: {
        path: '^src/boards/(local|github|jira)/',
        pathNot: [`${GH}ledger/index\\.ts$`, '^src/boards/$1/'],
      },
    },
    {
      name: 'ledger-core-entry-only',
      comment: 'Outside src/boards/ledger, import only its index.ts (unit tests beside the code excepted).',
      severity: 'error',
      from: { pathNot: '^src/boards/ledger/' },
      to: { path: '^src/boards/ledger/', pathNot: '^src/boards/ledger/index\\.ts$' },
    },
    {
      name: 'observe-on-core-state',
      comment:
        'src/observe (metrics: a registry fed by the event log, the state store and observers passed in) depends on core and state only.',
      severity: 'error',
      from: { path: '^src/observe/' },
      to: outside('observe/', 'core/', 'state/'),
    },
    {
      name: 'observe-entry-only',
      comment:
        'Outside a folder of src/observe, import only its index.ts (unit tests beside the code excepted).',
      severity: 'error',
      from: { pathNot: '^src/observe/' },
      to: { path: '^src/observe/[^/]+/', pathNot: '^src/observe/[^/]+/index\\.ts$' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'src/cli is the edge: it builds and injects everything; nothing in src/ imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'src-not-on-tests',
      comment: 'Product code never imports test code (a unit test beside the code may use tests/support).',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(tests|bench)/' },
    },
    {
      name: 'github-http-below-all',
      comment: 'boards/github/http imports nothing else of the GitHub board.',
      severity: 'error',
      from: { path: `${GH}http/` },
      to: { path: GH, pathNot: `${GH}http/` },
    },
    {
      name: 'github-ledger-below-issues-mirror',
      comment:
        'boards/github/ledger imports nothing of issues/, mirror/ or the board around it (http/ is allowed).',
      severity: 'error',
      from: { path: `${GH}ledger/` },
      to: { path: GH, pathNot: [`${GH}ledger/`, `${GH}http/`] },
    },
    {
      name: 'github-issues-below-mirror',
      comment:
        'boards/github/issues imports http/ and ledger/ only; the mirror builds on issues, not the reverse.',
      severity: 'error',
      from: { path: `${GH}issues/` },
      to: { path: GH, pathNot: [`${GH}issues/`, `${GH}http/`, `${GH}ledger/`] },
    },
    {
      name: 'github-subfolders-below-board',
      comment:
        "A sub-folder of boards/github never imports the board's top-level files (github-board, index, …).",
      severity: 'error',
      from: { path: `${GH}[^/]+/` },
      to: { path: `${GH}[^/]+\\.ts$` },
    },
    {
      name: 'github-subfolder-entry-only',
      comment:
        "Outside a sub-folder of boards/github (other sub-folders, the board, cli, tests, bench), import only that sub-folder's index.ts.",
      severity: 'error',
      from: { pathNot: `${GH}[^/]+/` },
      to: { path: `${GH}[^/]+/`, pathNot: `${GH}[^/]+/index\\.ts$` },
    },
    {
      name: 'github-sibling-entry-only',
      comment: "A sub-folder of boards/github imports another sub-folder only through that one's index.ts.",
      severity: 'error',
      from: { path: `${GH}([^/]+)/` },
      to: { path: `${GH}[^/]+/`, pathNot: [`${GH}$1/`, `${GH}[^/]+/index\\.ts$`] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
