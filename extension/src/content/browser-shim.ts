/**
 * The content script's `browser`: the native namespace, no polyfill (size budget, see
 * wxt.config.ts). Firefox exposes promise-based `browser`; Chromium's MV3 `chrome` returns
 * promises too. Only `runtime.sendMessage`/`runtime.id` are used from the content script.
 */
type Runtime = {
  id?: string;
  sendMessage(message: unknown): Promise<unknown>;
};
type Namespace = { runtime: Runtime };

const g = globalThis as unknown as { browser?: Namespace; chrome?: Namespace };

export const browser: Namespace = (g.browser?.runtime?.id ? g.browser : g.chrome) as Namespace;
export type Browser = Namespace;
