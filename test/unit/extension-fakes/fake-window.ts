/**
 * A window stand-in for content-script and page-library tests: postMessage dispatches a
 * MessageEvent (asynchronously, like the browser) with `source` = this window and `origin` =
 * its own origin. Both the page and the content script listen on the same object, as they do on
 * one real window.
 */
/** Node's MessageEvent insists that `source` is a MessagePort; a window is what browsers use. */
class WindowMessageEvent extends Event {
  constructor(
    readonly data: unknown,
    readonly origin: string,
    readonly source: unknown,
  ) {
    super('message');
  }
}

export class FakeWindow extends EventTarget {
  readonly posts: Array<{ data: unknown; targetOrigin: string }> = [];
  isSecureContext = true;
  readonly location: { origin: string };
  /** The document's origin as the content script reads it (`"null"` for an opaque one). */
  origin: string;
  /** The user's activation in the page: active by default, as if the page had just been clicked. */
  readonly navigator = { userActivation: { isActive: true, hasBeenActive: true } };

  constructor(origin = 'http://localhost:8080') {
    super();
    this.location = { origin };
    this.origin = origin;
  }

  postMessage(data: unknown, targetOrigin: string): void {
    this.posts.push({ data, targetOrigin });
    const clone = structuredClone(data);
    setTimeout(() => this.dispatchEvent(new WindowMessageEvent(clone, this.location.origin, this)), 0);
  }

  /** A message from elsewhere (another frame, another origin). */
  deliver(data: unknown, init: { origin?: string; source?: unknown } = {}): void {
    this.dispatchEvent(new WindowMessageEvent(data, init.origin ?? this.location.origin, 'source' in init ? init.source : this));
  }

  replies(): Array<Record<string, unknown>> {
    return this.posts
      .map((p) => p.data as Record<string, unknown>)
      .filter((d) => typeof d?.action === 'string' && /-(ack|success|failure)$/.test(d.action as string));
  }
}

export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
