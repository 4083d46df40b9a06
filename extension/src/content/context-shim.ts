/**
 * Stand-in for WXT's ContentScriptContext in the content-script build only (see wxt.config.ts).
 * Our `main` ignores its context argument; the real class would add ~3 KB to every page.
 */
export class ContentScriptContext {
  constructor(
    readonly contentScriptName: string,
    readonly options?: unknown,
  ) {}
}
