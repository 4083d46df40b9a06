/** `virtual-card show`: what is on the card. Never the PINs (only whether they are still the defaults), nor the fake My Number. */
import { X509Certificate } from 'node:crypto';
import type { PinKind, VirtualCardState } from './state.ts';

export function describe(state: VirtualCardState): string {
  const { persona } = state;
  const lines = [
    `persona: ${persona.kind}`,
    `name: ${persona.name}`,
    `birth: ${persona.birth}  sex: ${persona.sex}`,
    `address: ${persona.address}`,
    `issued: ${persona.issued}`,
    `ATR: ${state.atr}`,
    `manufacture number (card-ID application): ${state.cardId.manufactureNumber}`,
    ...certificate('authentication certificate', state.auth.certificate),
    ...(state.sign ? certificate('signing certificate', state.sign.certificate) : ['signing certificate: none (under 15)']),
    ...certificate('authentication CA', state.ca.auth.certificate),
    ...certificate('signing CA', state.ca.sign.certificate),
    pin('auth', 'authentication PIN', state),
    pin('sign', 'signing PIN', state),
    pin('text', 'text PIN (券面事項入力補助用)', state),
  ];
  return `${lines.join('\n')}\n`;
}

function certificate(label: string, base64: string): string[] {
  const cert = new X509Certificate(Buffer.from(base64, 'base64'));
  const expired = new Date(cert.validTo) < new Date() ? ' (EXPIRED)' : '';
  return [
    `${label}:`,
    `  subject: ${cert.subject.replaceAll('\n', ', ')}`,
    `  valid: ${new Date(cert.validFrom).toISOString()} → ${new Date(cert.validTo).toISOString()}${expired}`,
  ];
}

function pin(kind: PinKind, label: string, state: VirtualCardState): string {
  const p = state.pins[kind];
  const status = p.retriesLeft === 0 ? 'LOCKED' : `${p.retriesLeft}/${p.maxRetries} tries left`;
  return `${label}: ${status}; PIN: ${p.isDefault ? 'default' : 'changed'}`;
}
