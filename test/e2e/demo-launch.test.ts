/**
 * The README's main-job command, exactly as a user runs it: `npm run demo -- --headless` walks
 * both demo flows through Chromium, the extension, the host and the virtual card, and exits 0.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', 'demo', '--', '--headless'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 240_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm run demo -- --headless', () => {
  it('walks the login, portal login and e-Tax filing flows, writes their screenshots and exits 0', async () => {
    const startedAt = Date.now();
    const { code, output } = await runDemo();
    expect(output).toContain('OK  login (jpki:authenticate)');
    expect(output).toContain('OK  login (launchApp mode 01)');
    expect(output).toContain('OK  e-Tax filing (launchApp mode 04 + jpki:sign + XMLDSig)');
    expect(output).not.toMatch(/\bNG\b/);
    expect(code).toBe(0);
    for (const shot of ['login-jpki.png', 'login-portal.png', 'etax-signed.png']) {
      expect(statSync(join(ROOT, 'test-output/demo', shot)).mtimeMs).toBeGreaterThan(startedAt);
    }
  }, 300_000);
});
