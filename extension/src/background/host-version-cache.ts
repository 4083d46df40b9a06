/**
 * Any page may call `jpki:status`, and each call would otherwise start a host process. One hello
 * answers every status call for a short while (and concurrent calls share it), so a page polling
 * status cannot make the browser spawn processes at will. Failures are not cached: a host
 * installed a moment ago is seen at the next call.
 */
export const HOST_VERSION_TTL_MS = 30_000;

export class HostVersionCache {
  private entry: { at: number; version: Promise<string> } | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  get(fetch: () => Promise<string>): Promise<string> {
    const at = this.now();
    if (this.entry && at - this.entry.at < HOST_VERSION_TTL_MS) return this.entry.version;
    const version = fetch();
    const entry = { at, version };
    this.entry = entry;
    version.catch(() => {
      if (this.entry === entry) this.entry = undefined;
    });
    return version;
  }
}
