/**
 * `jpki-bridge host [--card pcsc|pcsc:READER|virtual:FILE] [--log FILE]`. Browsers append their own
 * arguments — Chrome `chrome-extension://<id>/` (and `--parent-window=N` on Windows), Firefox
 * the manifest path and the extension id — so anything that is not one of ours is ignored.
 */
export interface HostArgs {
  card: string | undefined;
  log: string | undefined;
  /** What the browser appended, for the log only. */
  ignored: string[];
}

export function parseHostArgs(args: string[]): HostArgs {
  const out: HostArgs = { card: undefined, log: undefined, ignored: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flag === '--card' || flag === '--log') {
      const value = inline ?? args[++i];
      if (flag === '--card') out.card = value;
      else out.log = value;
    } else if (arg !== 'host') {
      out.ignored.push(arg);
    }
  }
  return out;
}
