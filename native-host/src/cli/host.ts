/**
 * `jpki-bridge host` — what the browser starts. The hello goes out before anything heavy is
 * loaded (cold start is measured); stdout carries frames only from the first byte on.
 */
import { helloFrame } from '../framing/encoder.ts';
import { parseHostArgs } from '../host/args.ts';
import { createLogger, guardStdout } from '../host/logger.ts';

export async function main(args: string[]): Promise<number> {
  const options = parseHostArgs(args);
  const log = createLogger(options.log);
  const writeStdout = guardStdout(log);
  process.stdout.on('error', () => {}); // EPIPE when the browser is gone: the writer's callback reports it
  const write = (frame: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      writeStdout(frame, (error) => (error ? reject(error) : resolve()));
    });
  // The host speaks first — before the session's modules (schemas, commands) are even loaded.
  const hello = write(helloFrame());
  hello.catch(() => {});
  const [{ serve }, { createBackend, parseCardSpec }, { commandContext }] = await Promise.all([
    import('../host/session.ts'),
    import('../card/create-backend.ts'),
    import('../commands/context.ts'),
  ]);
  let backend;
  try {
    backend = createBackend(parseCardSpec(options.card));
  } catch (error) {
    log.info((error as Error).message);
    return 64;
  }
  if (options.ignored.length > 0) log.info(`started by ${options.ignored.join(' ')}`);
  const code = await hello.then(
    () => serve({ input: process.stdin, write, sayHello: false, context: commandContext(backend), log }),
    () => 0,
  );
  await backend.close().catch(() => {});
  log.close();
  // Native threads (pcscd status watchers) must not keep a finished host alive.
  process.exit(code);
}
