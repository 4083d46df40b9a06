/**
 * Ends an operation whose page went away: the requesting tab closed, or started loading another
 * document (navigation, reload). Needs no permission: onRemoved and the `status` of onUpdated
 * are available without "tabs".
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { browser } from '../lib/browser.ts';

export function watchTab(tabId: number): { gone: Promise<never>; dispose(): void } {
  let dispose = () => {};
  const gone = new Promise<never>((_, reject) => {
    const end = () => reject(new JpkiError('ERR_JPKI_USER_CANCELLED', 'The requesting page was closed or left.'));
    const onRemoved = (id: number) => id === tabId && end();
    const onUpdated = (id: number, change: { status?: string }) => id === tabId && change.status === 'loading' && end();
    browser.tabs.onRemoved.addListener(onRemoved);
    browser.tabs.onUpdated.addListener(onUpdated);
    dispose = () => {
      browser.tabs.onRemoved.removeListener(onRemoved);
      browser.tabs.onUpdated.removeListener(onUpdated);
    };
  });
  return { gone, dispose: () => dispose() };
}
