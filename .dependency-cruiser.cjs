/** Module boundaries of Siyu (see docs/architecture.md). Checked by `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No runtime import cycles; a cycle made only of type imports vanishes at runtime and is allowed.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'modules-talk-through-index',
      comment: 'A module may use another module only through its index.ts.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$', '^src/modules/[^/]+/[^/]+\\.schemas\\.ts$'] },
    },
    {
      name: 'platform-has-no-business-rules',
      comment: 'platform/ is technical; it never imports a module, the composition or an entrypoint.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|entrypoints|composition\\.ts)' },
    },
    {
      name: 'modules-do-not-know-entrypoints',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/(entrypoints|composition\\.ts)' },
    },
    {
      name: 'routes-do-not-touch-sql',
      comment: 'routes -> service -> repository: routes never import a repository.',
      severity: 'error',
      from: { path: '\\.routes\\.ts$' },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'schemas-are-contracts-only',
      comment: 'zod contracts import only zod and other pure contract/rule files, so the console can use them.',
      severity: 'error',
      from: { path: '\\.schemas\\.ts$' },
      to: { path: ['\\.(service|repository|routes)\\.ts$', '^src/platform/(db|http|jobs)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
