/** The page library's transport: the ack probe, no duplicates, typed errors, insecure contexts. */
import { describe, expect, it, vi } from 'vitest';
import { exchange } from '../../relying-party/src/page/transport.ts';
import { startPageApi } from '../../extension/src/content/page-api.ts';
import type { Outcome, PageMessage } from '../../extension/src/messages.ts';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { FakeWindow, tick } from './extension-fakes/fake-window.ts';

const asWindow = (w: FakeWindow) => w as unknown as Window;

describe('exchange', () => {
  it('no content script: ERR_JPKI_EXTENSION_UNAVAILABLE after the ack deadline', async () => {
    const win = new FakeWindow();
    const started = Date.now();
    const error = await exchange('jpki:status', {}, { target: asWindow(win), ackTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JpkiError);
    expect((error as JpkiError).code).toBe('ERR_JPKI_EXTENSION_UNAVAILABLE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('an insecure context is refused before anything is posted', async () => {
    const win = new FakeWindow('http://example.com');
    win.isSecureContext = false;
    await expect(exchange('jpki:status', {}, { target: asWindow(win) })).rejects.toMatchObject({ code: 'ERR_JPKI_CONTEXT_INSECURE' });
    expect(win.posts).toHaveLength(0);
  });

  it('a content script that loads late still gets the request, exactly once', async () => {
    const win = new FakeWindow();
    const send = vi.fn(async (_m: PageMessage): Promise<Outcome> => ({ ok: true, result: { extensionVersion: '0.1.0', hostVersion: '0.1.0' } }));
    const pending = exchange('jpki:status', {}, { target: asWindow(win) });
    await tick(350); // three or four probes are lost before the script is there
    startPageApi(asWindow(win), send);
    await expect(pending).resolves.toEqual({ extensionVersion: '0.1.0', hostVersion: '0.1.0' });
    await tick(250);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('rebuilds a typed error with retriesLeft from -failure', async () => {
    const win = new FakeWindow();
    startPageApi(asWindow(win), async () => ({ ok: false, error: { code: 'ERR_JPKI_PIN_INCORRECT', message: 'wrong', retriesLeft: 1 } }));
    const error = await exchange('jpki:authenticate', { challengeNonce: 'x' }, { target: asWindow(win) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JpkiError);
    expect(error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 1 });
  });

  it('concurrent calls on one page get their own answers', async () => {
    const win = new FakeWindow();
    let n = 0;
    startPageApi(asWindow(win), async () => {
      const mine = ++n;
      await tick(mine === 1 ? 30 : 5);
      return { ok: true, result: { n: mine } };
    });
    const [a, b] = await Promise.all([
      exchange<{ n: number }>('jpki:status', {}, { target: asWindow(win) }),
      exchange<{ n: number }>('jpki:status', {}, { target: asWindow(win) }),
    ]);
    expect(new Set([a.n, b.n])).toEqual(new Set([1, 2]));
  });

  it('ignores answers from another origin', async () => {
    const win = new FakeWindow();
    const pending = exchange('jpki:status', {}, { target: asWindow(win), ackTimeoutMs: 200 });
    const requestId = (win.posts[0]!.data as { requestId: string }).requestId;
    win.deliver({ action: 'jpki:status-ack', requestId }, { origin: 'https://evil.example' });
    win.deliver({ action: 'jpki:status-success', requestId, hostVersion: 'evil' }, { origin: 'https://evil.example' });
    await expect(pending).rejects.toMatchObject({ code: 'ERR_JPKI_EXTENSION_UNAVAILABLE' });
  });
});
