// typescript-eslint for the one check that needs the type checker: floating promises. Everything
// else (format, unused code, import cycles, `debugger`) is Biome's (biome.jsonc), which is fast;
// Biome's own floating-promise rule misses the promises of Node's built-in modules
// (`rm()` from node:fs/promises, `setTimeout()` from node:timers/promises), so it is used here.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '**/.output/', '**/.wxt/', 'test-output/', '.demo/'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parser: tseslint.parser,
      // Each file is typed by its nearest tsconfig.json (the root one, or extension/'s).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    // `void promise` marks a promise left running on purpose; say why beside it.
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
);
