/**
 * The serve command's APDU trace: one line per APDU, `> <command hex>` then `< <response hex>`,
 * lowercase hex without spaces, appended synchronously so a reader sees each line at once.
 * PIN bytes of VERIFY (INS 20) and CHANGE REFERENCE DATA (INS 24) are written as `**` per byte:
 * tests can still see that a VERIFY happened (`0020008004********`) but never the PIN.
 */
import { appendFileSync } from 'node:fs';

export function traceCommand(command: Uint8Array): string {
  const hex = Buffer.from(command).toString('hex');
  const ins = command[1];
  if (command.length > 5 && (ins === 0x20 || ins === 0x24)) {
    // Every byte after Lc, whatever Lc says: an APDU whose Lc understates its data (the card
    // answers 67 00) must not show the PIN bytes beyond Lc.
    return hex.slice(0, 10) + '**'.repeat(command.length - 5);
  }
  return hex;
}

export function traceResponse(response: Uint8Array): string {
  return Buffer.from(response).toString('hex');
}

export class TraceFile {
  constructor(private readonly file: string) {}

  exchange(command: Uint8Array, response: Uint8Array): void {
    appendFileSync(this.file, `> ${traceCommand(command)}\n< ${traceResponse(response)}\n`);
  }
}
