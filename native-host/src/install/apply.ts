/** Carries out planned actions, reporting each; failures are reported and make the exit code non-zero. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { type Action, describeAction } from './plan.ts';

export function apply(actions: Action[], print: (line: string) => void): boolean {
  let ok = true;
  for (const action of actions) {
    try {
      switch (action.kind) {
        case 'skip':
          break;
        case 'mkdir':
          mkdirSync(action.path, { recursive: true });
          break;
        case 'write':
          writeFileSync(action.path, action.content, { mode: action.mode });
          chmodSync(action.path, action.mode); // an existing file keeps its old mode otherwise
          break;
        case 'reg-add':
          execFileSync('reg', ['add', action.key, '/ve', '/t', 'REG_SZ', '/d', action.value, '/f'], { stdio: 'ignore' });
          break;
        case 'remove':
          rmSync(action.path, { force: true });
          break;
        case 'reg-delete':
          try {
            execFileSync('reg', ['delete', action.key, '/f'], { stdio: 'ignore' });
          } catch {
            /* already absent */
          }
          break;
        default: {
          const unreachable: never = action;
          throw new Error(String(unreachable));
        }
      }
      print(`  ${describeAction(action)}`);
    } catch (error) {
      ok = false;
      print(`  失敗 / FAILED  ${describeAction(action)}: ${(error as Error).message}`);
    }
  }
  return ok;
}
