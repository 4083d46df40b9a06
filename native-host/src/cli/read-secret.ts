/**
 * Reads a PIN for `jpki-bridge run` and `sign`: from the terminal without echo, or — when stdin is not a
 * terminal — one line of stdin per PIN. Never from argv (visible in `ps` and shell history).
 */
import { createInterface } from 'node:readline';
import type { PinKind } from '@jpki-bridge/shared/policy';

/** What the terminal asks for each PIN kind (operations.ts's `pin` column says which one a command needs). */
export const PIN_PROMPTS: Record<PinKind, string> = {
  auth: '利用者証明用暗証番号 (数字4桁) / authentication PIN: ',
  sign: '署名用パスワード / signing password: ',
  text: '券面事項入力補助用暗証番号 (数字4桁) / text PIN (card face): ',
};

export function secretReader(): { read(prompt: string): Promise<string>; close(): void } {
  if (process.stdin.isTTY) {
    return {
      read: (prompt) => readFromTerminal(prompt),
      close: () => process.stdin.pause(),
    };
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  return {
    async read() {
      const next = await lines.next();
      if (next.done) throw new Error('stdin ended before the PIN / 暗証番号が標準入力にありません');
      return next.value;
    },
    close: () => void lines.return?.(),
  };
}

function readFromTerminal(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('cancelled / 取り消しました'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char; // no echo: nothing is written back
      }
    };
    stdin.on('data', onData);
  });
}
