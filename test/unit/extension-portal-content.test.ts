/** The content script's portal surface with a fake DOM: allow-listed or absent. */
import { describe, expect, it, vi } from 'vitest';
import { startPortal } from '../../extension/src/content/portal.ts';
import type { Outcome, PortalHelloAnswer } from '../../extension/src/messages.ts';
import { tick } from './extension-fakes/fake-window.ts';

class FakeInput {
  type = '';
  id = '';
  value = '';
}

class FakeDocument extends EventTarget {
  readyState = 'complete';
  readonly inputs = new Map<string, FakeInput>();
  readonly body = { appendChild: (input: FakeInput) => this.inputs.set(input.id, input) };
  readonly documentElement = this.body;
  getElementById(id: string) {
    return this.inputs.get(id) ?? null;
  }
  createElement() {
    return new FakeInput();
  }
}

function setup(hello: PortalHelloAnswer, launch: (m: { detail: string }) => Promise<Outcome>) {
  const doc = new FakeDocument();
  const win = Object.assign(new EventTarget(), { document: doc });
  const received: unknown[] = [];
  doc.addEventListener('recvMsg', (event) => received.push(JSON.parse((event as CustomEvent).detail as string)));
  const launchSpy = vi.fn(launch);
  startPortal(win as unknown as Window, { hello: async () => hello, launch: launchSpy });
  const fire = (detail: unknown) => win.dispatchEvent(new CustomEvent('launchApp', { detail }));
  return { doc, received, launchSpy, fire };
}

const ALLOWED: PortalHelloAnswer = { allowed: true, extensionMajor: '0', hostVersion: '0.1.0' };
const REFUSED: PortalHelloAnswer = { allowed: false, extensionMajor: '0', hostVersion: null };

describe('startPortal', () => {
  it('sets #extension-is-installed and #app-is-installed on an allow-listed origin', async () => {
    const { doc } = setup(ALLOWED, async () => ({ ok: true, result: {} }));
    await tick(5);
    expect(doc.getElementById('extension-is-installed')?.value).toBe('0');
    expect(doc.getElementById('app-is-installed')?.value).toBe('0.1.0');
  });

  it('leaves #app-is-installed out when the host did not answer', async () => {
    const { doc } = setup({ ...ALLOWED, hostVersion: null }, async () => ({ ok: true, result: {} }));
    await tick(5);
    expect(doc.getElementById('extension-is-installed')?.value).toBe('0');
    expect(doc.getElementById('app-is-installed')).toBeNull();
  });

  it('answers launchApp with recvMsg result "0" and the signature', async () => {
    const { received, launchSpy, fire } = setup(ALLOWED, async () => ({ ok: true, result: { signature: 'SIG=', certificate: 'MAA=' } }));
    fire(JSON.stringify({ mode: '01', digest: 'AAAA' }));
    await tick(5);
    expect(launchSpy).toHaveBeenCalledWith({ channel: 'portal', detail: JSON.stringify({ mode: '01', digest: 'AAAA' }) });
    expect(received).toEqual([{ mode: '01', result: '0', signature: 'SIG=', certificate: 'MAA=' }]);
  });

  it('answers a failure with result "1" and the error code', async () => {
    const { received, fire } = setup(ALLOWED, async () => ({ ok: false, error: { code: 'ERR_JPKI_USER_CANCELLED', message: 'x' } }));
    fire(JSON.stringify({ mode: '02', digest: ['AAAA'] }));
    await tick(5);
    expect(received).toEqual([{ mode: '02', result: '1', errcode: 'ERR_JPKI_USER_CANCELLED' }]);
  });

  it('does nothing at all on an origin that is not allow-listed', async () => {
    const { doc, received, launchSpy, fire } = setup(REFUSED, async () => ({ ok: true, result: {} }));
    fire(JSON.stringify({ mode: '01', digest: 'AAAA' }));
    await tick(5);
    expect(launchSpy).not.toHaveBeenCalled();
    expect(received).toEqual([]);
    expect(doc.inputs.size).toBe(0);
  });

  it('ignores details that are not strings, or too long', async () => {
    const { launchSpy, fire } = setup(ALLOWED, async () => ({ ok: true, result: {} }));
    fire({ mode: '01' });
    fire(null);
    fire('x'.repeat(100_000));
    await tick(5);
    expect(launchSpy).not.toHaveBeenCalled();
  });
});
