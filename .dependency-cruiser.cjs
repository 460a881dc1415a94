// The direction of imports (DESIGN.md "Rules of the house", docs/architecture.md), checked in
// `npm test` by `npm run check:deps`. A rule broken here fails the test run.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules and features form a directed acyclic graph: no import cycle in the server or the web app.',
      from: { path: '^(src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-features',
      severity: 'error',
      comment: 'The features form a directed acyclic graph: no feature reaches back to itself through others (folder level).',
      scope: 'folder',
      from: { path: '^src/features/[^/]+$' },
      to: { circular: true },
    },
    {
      name: 'lower-layers-know-no-feature',
      severity: 'error',
      comment: 'platform/, domain/ and config/ sit below every feature and never import one.',
      from: { path: '^src/(platform|domain|config)/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'lower-layers-know-no-composition',
      severity: 'error',
      comment: 'Only the composition root (app.ts, server.ts, cli/) knows the whole: nothing below imports it.',
      from: { path: '^src/(platform|domain|config|features)/' },
      to: { path: '^src/(app|server)\\.ts$|^src/cli/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds rules without I/O: no platform, no file system, network or process, no database or stream driver.',
      from: { path: '^src/domain/' },
      to: {
        path: [
          '^src/platform/',
          '^src/config/',
          '^(node:)?(fs|fs/promises|net|tls|http|https|http2|dgram|dns|child_process|cluster|worker_threads|readline|os|process)$',
          '(^|/)node_modules/(pg|pg-[^/]+|better-sqlite3|kysely|nats|nodemailer|@duckdb|fastify|@fastify)/',
        ],
      },
    },
    {
      name: 'no-foreign-repository',
      severity: 'error',
      comment: "A feature never imports another feature's repository: it asks that feature's service.",
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/([^/]+)/[^/]+\\.repository\\.ts$', pathNot: '^src/features/$1/' },
    },
    {
      name: 'features-meet-through-services',
      severity: 'error',
      comment: 'A feature uses another only through its *.service.ts functions and its *.schemas.ts types.',
      from: { path: '^src/features/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/features/([^/]+)/', pathNot: ['^src/features/$1/', '\\.(service|schemas)\\.ts$'] },
    },
    {
      name: 'web-takes-only-rules-and-schemas',
      severity: 'error',
      comment: 'The web app shares the pure rules (domain/) and the request/response schemas (*.schemas.ts) with the server, nothing else.',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '\\.schemas\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests may reach anywhere to set up and inspect; the rules are about the code that ships.
    exclude: { path: ['(^|/)(dist|node_modules)/', '\\.test\\.tsx?$', '\\.test-[a-z]+\\.ts$', '^test/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
