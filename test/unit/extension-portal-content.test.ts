/** The content script's portal surface with a fake DOM: allow-listed or absent. */
import { describe, expect, it, vi } from 'vitest';
import { startPortal } from '../../extension/src/content/portal.ts';
import type { Outcome, PortalHelloAnswer, PortalMessage } from '../../extension/src/messages.ts';
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

function setup(hello: PortalHelloAnswer, launch: (m: PortalMessage) => Promise<Outcome>) {
  const doc = new FakeDocument();
  const win = Object.assign(new EventTarget(), {
    document: doc,
    origin: 'https://myna.go.jp',
    navigator: { userActivation: { isActive: false, hasBeenActive: true } },
  });
  const received: unknown[] = [];
  doc.addEventListener('recvMsg', (event) => received.push(JSON.parse((event as CustomEvent).detail as string)));
  const launchSpy = vi.fn(launch);
  startPortal(win as unknown as Window, { hello: async () => hello, launch: launchSpy });
  const fire = (detail: unknown) => win.dispatchEvent(new CustomEvent('launchApp', { detail }));
  return { doc, received, launchSpy, fire };
}

const ALLOWED: PortalHelloAnswer = { allowed: true, inputs: { 'extension-is-installed': '24', 'app-is-installed': '29' } };
const REFUSED: PortalHelloAnswer = { allowed: false, inputs: {} };
const failed = (code: string) => async (): Promise<Outcome> => ({ ok: false, error: { code: code as never, message: 'x' } });

describe('startPortal', () => {
  it('sets #extension-is-installed and #app-is-installed to what the background says on an allow-listed origin', async () => {
    const { doc } = setup(ALLOWED, async () => ({ ok: true, result: {} }));
    await tick(5);
    expect(doc.getElementById('extension-is-installed')?.value).toBe('24');
    expect(doc.getElementById('app-is-installed')?.value).toBe('29');
  });

  it('leaves #app-is-installed out when the background says so (no host)', async () => {
    const { doc } = setup({ allowed: true, inputs: { 'extension-is-installed': '24' } }, async () => ({ ok: true, result: {} }));
    await tick(5);
    expect(doc.getElementById('extension-is-installed')?.value).toBe('24');
    expect(doc.getElementById('app-is-installed')).toBeNull();
  });

  it('forwards the detail with the document’s origin and sticky activation, and answers the background’s success as it is', async () => {
    const answer = { mode: '01', result: '0', uuid: 'u', signature: 'SIG=', certificate: 'MAA', combination_code: 'c' };
    const { received, launchSpy, fire } = setup(ALLOWED, async () => ({ ok: true, result: answer }));
    const request = { mode: '01', service_id: '01', digest: 'AAAA' };
    fire(JSON.stringify(request));
    await tick(5);
    expect(launchSpy).toHaveBeenCalledWith({ channel: 'portal', detail: request, origin: 'https://myna.go.jp', active: true });
    expect(received).toEqual([answer]);
  });

  it('answers a failure with the page’s own request, result "1", errcode EW044-C300 and our code in jpki_error', async () => {
    const { received, fire } = setup(ALLOWED, failed('ERR_JPKI_USER_CANCELLED'));
    fire(JSON.stringify({ mode: '02', service_id: '01', digest: ['AAAA'], extra: { kept: true } }));
    await tick(5);
    expect(received).toEqual([
      { mode: '02', service_id: '01', digest: ['AAAA'], extra: { kept: true }, result: '1', errcode: 'EW044-C300', jpki_error: 'ERR_JPKI_USER_CANCELLED' },
    ]);
  });

  it('never echoes a pin, even one the page put in its own request', async () => {
    const { received, fire } = setup(ALLOWED, failed('ERR_JPKI_INVALID_REQUEST'));
    fire(JSON.stringify({ mode: '01', digest: 'AAAA', pin: '1234' }));
    await tick(5);
    expect(received).toEqual([{ mode: '01', digest: 'AAAA', result: '1', errcode: 'EW044-C300', jpki_error: 'ERR_JPKI_INVALID_REQUEST' }]);
    expect(JSON.stringify(received)).not.toContain('1234');
  });

  it('a detail that is not a JSON object is answered with result "1" and nothing echoed', async () => {
    const { received, fire } = setup(ALLOWED, failed('ERR_JPKI_INVALID_REQUEST'));
    fire('not json');
    fire('[1,2]');
    await tick(5);
    const bare = { result: '1', errcode: 'EW044-C300', jpki_error: 'ERR_JPKI_INVALID_REQUEST' };
    expect(received).toEqual([bare, bare]);
  });

  it('a dead extension context is answered like any failure, with the request echoed', async () => {
    const { received, fire } = setup(ALLOWED, async () => {
      throw new Error('Extension context invalidated.');
    });
    fire(JSON.stringify({ mode: '04', service_id: '01' }));
    await tick(5);
    expect(received).toEqual([{ mode: '04', service_id: '01', result: '1', errcode: 'EW044-C300', jpki_error: 'ERR_JPKI_EXTENSION_UNAVAILABLE' }]);
  });

  it('does nothing at all on an origin that is not allow-listed', async () => {
    const { doc, received, launchSpy, fire } = setup(REFUSED, async () => ({ ok: true, result: {} }));
    fire(JSON.stringify({ mode: '01', service_id: '01', digest: 'AAAA' }));
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
