/**
 * Any page may call `jpki:status`, and each call would otherwise start a host process. One hello
 * answers every status call for a short while (and concurrent calls share it), so a page polling
 * status cannot make the browser spawn processes at will. A failed hello is cached too, for a
 * back-off that starts short — a host installed a moment ago is seen within a second — and doubles
 * with each consecutive failure up to HOST_FAILURE_BACKOFF_MAX_MS: a host that fails or speaks
 * another protocol version is started a handful of times a minute, not once per call.
 */
export const HOST_VERSION_TTL_MS = 30_000;
export const HOST_FAILURE_BACKOFF_MIN_MS = 1_000;
export const HOST_FAILURE_BACKOFF_MAX_MS = 30_000;

export class HostVersionCache {
  private entry: { at: number; ttl: number; version: Promise<string> } | undefined;
  private failures = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get(fetch: () => Promise<string>): Promise<string> {
    const at = this.now();
    if (this.entry && at - this.entry.at < this.entry.ttl) return this.entry.version;
    const version = fetch();
    // Until it settles, concurrent callers share it (the TTL counts from the start).
    const entry = { at, ttl: HOST_VERSION_TTL_MS, version };
    this.entry = entry;
    version.then(
      () => {
        this.failures = 0;
      },
      () => {
        this.failures++;
        if (this.entry !== entry) return;
        entry.at = this.now();
        entry.ttl = Math.min(HOST_FAILURE_BACKOFF_MIN_MS * 2 ** (this.failures - 1), HOST_FAILURE_BACKOFF_MAX_MS);
      },
    );
    return version;
  }
}
