/**
 * What the card layer needs from a reader: send one APDU, get data + SW back. Both backends
 * (PC/SC, the in-process virtual card) implement it; `exchange` adds the T=0-style status word
 * handling every driver needs (61 xx → GET RESPONSE, 6C xx → re-send with Le = xx).
 */
import { Apdu, type Response, splitResponse } from './apdu.ts';

export interface CardTransport {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

const MAX_GET_RESPONSE = 32; // a bound, so a card that keeps answering 61 xx cannot loop us forever

export async function exchange(transport: CardTransport, command: Uint8Array): Promise<Response> {
  let response = splitResponse(await transport.transmit(command));
  if (response.sw >> 8 === 0x6c && endsWithLe(command)) {
    // Wrong Le: the card tells the right one; resend the same command with it (case 2 / 4: Le is last).
    // Never for a command without Le (SELECT, VERIFY): its last byte is data — a FID byte or a PIN
    // byte — and re-sending it altered would select another EF or spend a try on a wrong PIN.
    const again = command.slice();
    again[again.length - 1] = response.sw & 0xff;
    response = splitResponse(await transport.transmit(again));
  }
  if (response.sw >> 8 !== 0x61) return response;
  const parts: Uint8Array[] = [response.data];
  let total = response.data.length;
  for (let i = 0; i < MAX_GET_RESPONSE && response.sw >> 8 === 0x61; i++) {
    response = splitResponse(await transport.transmit(Apdu.getResponse(response.sw & 0xff)));
    parts.push(response.data);
    total += response.data.length;
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return { data, sw: response.sw };
}

/** A short command APDU whose last byte is Le: case 2 (header + Le) or case 4 (header + Lc + data + Le). */
function endsWithLe(command: Uint8Array): boolean {
  if (command.length === 5) return true;
  return command.length > 5 && command.length === 6 + command[4]!;
}
