/**
 * A virtual X display (Xvfb) for a browser that must run with real windows — the Firefox PIN
 * dialog is an extension window that WebDriver BiDi cannot drive, so a test types into it with
 * xdotool (x-input.ts), which needs an X server. Started on a free display number, stopped by
 * whoever started it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface VirtualDisplay {
  /** `:N`, for DISPLAY. */
  display: string;
  stop(): Promise<void>;
}

export const XVFB = '/usr/bin/Xvfb';
const SCREEN = '1280x1024x24';

/**
 * Starts Xvfb on the first free display from :90 and resolves once its socket is up; `screen` is
 * WIDTHxHEIGHTxDEPTH (the screenshots of a laptop screen use 1366x768x24).
 */
export async function startXvfb(screen = SCREEN): Promise<VirtualDisplay> {
  for (let n = 90; n < 120; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const child = spawn(XVFB, [`:${n}`, '-screen', '0', screen, '-nolisten', 'tcp'], { stdio: 'ignore' });
    if (await socketUp(n, child)) return { display: `:${n}`, stop: () => stop(child) };
  }
  throw new Error('no free X display between :90 and :119');
}

async function socketUp(n: number, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return false; // another process took this display first
    if (existsSync(`/tmp/.X11-unix/X${n}`)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  return false;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}
