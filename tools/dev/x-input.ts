/**
 * A hand and an eye on an X display: find a window by its title, give it the keyboard focus and
 * type into it with xdotool (XTEST key events, as a keyboard sends them), and photograph the
 * screen with ImageMagick's `import`. Used for the Firefox PIN dialog, an extension window that
 * WebDriver BiDi cannot reach (tools/dev/firefox.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const env = (display: string) => ({ ...process.env, DISPLAY: display });

/** The id of the first visible window whose title matches `title` (a regular expression), or null. */
export async function findWindow(display: string, title: string): Promise<string | null> {
  return run('xdotool', ['search', '--onlyvisible', '--name', title], { env: env(display) }).then(
    (out) => out.stdout.trim().split('\n').find(Boolean) ?? null,
    () => null, // xdotool exits 1 when nothing matches
  );
}

/** The id of the first visible window whose title matches `title` (a regular expression), once one exists. */
export async function waitForWindow(display: string, title: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await findWindow(display, title);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no window titled /${title}/ on ${display}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether a window with that id is still mapped. */
export async function windowExists(display: string, id: string): Promise<boolean> {
  return run('xdotool', ['getwindowname', id], { env: env(display) }).then(
    () => true,
    () => false,
  );
}

/**
 * Gives `window` the keyboard focus and types `text` into whatever has focus in it. There is no
 * window manager on Xvfb: the focus is set directly.
 */
export async function typeInto(display: string, window: string, text: string): Promise<void> {
  await run('xdotool', ['windowfocus', '--sync', window], { env: env(display) });
  await run('xdotool', ['type', '--delay', '60', '--', text], { env: env(display) });
}

/** Presses keys (xdotool names: `Return`, `Escape`, `Tab`, `ctrl+t`) in `window`, one after another. */
export async function pressKeys(display: string, window: string, ...keys: string[]): Promise<void> {
  await run('xdotool', ['windowfocus', '--sync', window], { env: env(display) });
  await run('xdotool', ['key', ...keys], { env: env(display) });
}

/** The whole screen as a PNG (ImageMagick's `import -window root`). */
export async function screenshotDisplay(display: string, path: string): Promise<void> {
  await run('import', ['-window', 'root', path], { env: env(display) });
}
