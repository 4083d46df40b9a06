/**
 * vitest setupFile of the projects that use PC/SC: puts this worker (and every process it starts)
 * into its own pcscd sandbox, when test/harness/pcscd-sandboxes.ts made this run use them.
 * VITEST_POOL_ID (1…maxWorkers) is the worker's slot: files that share a slot run one after the other.
 */
import { enterPcscdSandbox } from '../../tools/dev/pcscd-sandbox.ts';
import { SANDBOXES_ENV } from './pcscd-sandboxes.ts';

const prefix = process.env[SANDBOXES_ENV];
if (prefix) enterPcscdSandbox(`${prefix}${process.env.VITEST_POOL_ID ?? '1'}`);
