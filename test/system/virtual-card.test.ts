/**
 * The virtual card through the real PC/SC stack: pcscd + vpcd + pcsclite, with `virtual-card
 * serve` as a separate process — exactly how the product's driver will see it.
 */
import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { buildDigestInfo } from '@jpki-bridge/shared/digest-info';
import { JPKI_SAN_OID, decodeBirthDate } from '@jpki-bridge/shared/jpki-certificate';
import { jpkiBridge } from '../../tools/dev/host-cli.ts';
import { PcscClient, type CardConnection } from '../../tools/dev/pcsc-client.ts';
import { restartPcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS, type Persona } from '../../tools/dev/personas.ts';
import { createCardState, type ServedCard } from '../../tools/dev/virtual-card.ts';
import { SELECT_JPKI, selectEf, verifyApdu } from '../harness/raw-apdus.ts';
import { holdVirtualReaders } from '../harness/virtual-readers.ts';

const readers = holdVirtualReaders();

async function serve(persona: Persona = 'adult'): Promise<{ card: CardConnection; served: ServedCard }> {
  const { card, served } = await readers.serve({ stateFile: await createCardState({ persona }) });
  expect(await card.transmit(SELECT_JPKI)).toBe('9000');
  return { card, served };
}

/** Reads a certificate EF the way the host does: 4 header bytes, then 4 + LLLL in all. */
async function readCertificate(card: CardConnection, fid: string): Promise<Buffer> {
  expect(await card.transmit(selectEf(fid))).toBe('9000');
  const head = await card.transmit('00b0000004');
  if (!head.endsWith('9000')) return Buffer.from(head, 'hex');
  const total = 4 + parseInt(head.slice(4, 8), 16);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < total; offset += 256) {
    const le = Math.min(256, total - offset);
    const response = Buffer.from(await card.transmit(`00b0${offset.toString(16).padStart(4, '0')}${(le & 0xff).toString(16).padStart(2, '0')}`), 'hex');
    expect(response.subarray(-2).toString('hex')).toBe('9000');
    chunks.push(response.subarray(0, -2));
  }
  return Buffer.concat(chunks);
}

function otherNames(der: Buffer): Map<string, string> {
  const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))));
  const san = cert.getExtension('subjectAltName') as { value: string } | null;
  expect(san).not.toBeNull();
  const seq = forge.asn1.fromDer(san!.value);
  const out = new Map<string, string>();
  for (const entry of seq.value as forge.asn1.Asn1[]) {
    const [oid, wrapped] = entry.value as forge.asn1.Asn1[];
    const utf8 = (wrapped!.value as forge.asn1.Asn1[])[0]!;
    out.set(forge.asn1.derToOid(oid!.value as string), forge.util.decodeUtf8(utf8.value as string));
  }
  return out;
}

describe('virtual card through pcscd + vpcd', () => {
  it('serves the authentication certificate without a PIN, parseable by node-forge', async () => {
    const { card } = await serve();
    const der = await readCertificate(card, '000a');
    const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))));
    expect(cert.issuer.getField('OU').value).toBe('JPKI for user authentication');
    expect(cert.getExtension('subjectAltName')).toBeNull();
  });

  it('hides the signing certificate until the signing PIN is verified, then shows name, address, DOB and sex', async () => {
    const { card } = await serve();
    expect(await card.transmit(selectEf('0001'))).toBe('9000');
    expect(await card.transmit('00b0000004')).toBe('6982');
    expect(await card.transmit(selectEf('001b'))).toBe('9000');
    expect(await card.transmit(verifyApdu(VIRTUAL_PINS.sign))).toBe('9000');
    const names = otherNames(await readCertificate(card, '0001'));
    expect(names.get(JPKI_SAN_OID.name)).toBe('デジタル 太郎');
    expect(names.get(JPKI_SAN_OID.address)).toBe('東京都千代田区霞が関2-1-2');
    expect(decodeBirthDate(names.get(JPKI_SAN_OID.dateOfBirth)!)).toBe('1985-04-01');
    expect(names.get(JPKI_SAN_OID.sex)).toBe('1');
  });

  it('a wrong PIN decrements the counter and the trace masks the PIN', async () => {
    const { card, served } = await serve();
    expect(await card.transmit(selectEf('0018'))).toBe('9000');
    expect(await card.transmit('00200080')).toBe('63c3');
    expect(await card.transmit(verifyApdu('9999'))).toBe('63c2');
    expect(await card.transmit('00200080')).toBe('63c2');
    const commands = await served.traceCommands();
    expect(commands).toContain('0020008004********');
    expect(commands.join('\n')).not.toContain(Buffer.from('9999').toString('hex'));
  });

  it('the 3rd miss locks the authentication PIN and the lock survives a restart of serve', async () => {
    const { card, served } = await serve();
    await card.transmit(selectEf('0018'));
    expect(await card.transmit(verifyApdu('0000'))).toBe('63c2');
    expect(await card.transmit(verifyApdu('0000'))).toBe('63c1');
    expect(await card.transmit(verifyApdu('0000'))).toBe('63c0');
    expect(await card.transmit(verifyApdu(VIRTUAL_PINS.auth))).toBe('6984');
    await served.pull();
    await served.insert();
    const again = await readers.client.connect(served.readerName);
    await again.transmit(SELECT_JPKI);
    await again.transmit(selectEf('0018'));
    expect(await again.transmit('00200080')).toBe('63c0');
    expect(await again.transmit(verifyApdu(VIRTUAL_PINS.auth))).toBe('6984');
  });

  it('reset-pins while the card is served takes effect at the next reset', async () => {
    const { card, served } = await serve();
    await card.transmit(selectEf('0018'));
    for (let i = 0; i < 3; i++) await card.transmit(verifyApdu('0000'));
    expect(await card.transmit('00200080')).toBe('63c0');
    await jpkiBridge(['virtual-card', 'reset-pins', '--state', served.stateFile]);
    await card.disconnect('reset');
    const again = await readers.client.connect(served.readerName);
    await again.transmit(SELECT_JPKI);
    await again.transmit(selectEf('0018'));
    expect(await again.transmit('00200080')).toBe('63c3');
    expect(await again.transmit(verifyApdu(VIRTUAL_PINS.auth))).toBe('9000');
  });

  it('the 5th miss locks the signing PIN', async () => {
    const { card } = await serve();
    await card.transmit(selectEf('001b'));
    for (const left of [4, 3, 2, 1, 0]) expect(await card.transmit(verifyApdu('WRONG1'))).toBe(`63c${left}`);
    expect(await card.transmit(verifyApdu(VIRTUAL_PINS.sign))).toBe('6984');
  });

  it('signs a DigestInfo with the authentication key; Node verifies it against the certificate', async () => {
    const { card } = await serve();
    const cert = new X509Certificate(await readCertificate(card, '000a'));
    const data = Buffer.from('jpki-bridge system test');
    const digestInfo = Buffer.from(buildDigestInfo('SHA-256', createHash('sha256').update(data).digest()));
    await card.transmit(selectEf('0018'));
    expect(await card.transmit(verifyApdu(VIRTUAL_PINS.auth))).toBe('9000');
    await card.transmit(selectEf('0017'));
    const response = Buffer.from(await card.transmit(`802a0080${digestInfo.length.toString(16)}${digestInfo.toString('hex')}00`), 'hex');
    expect(response.subarray(-2).toString('hex')).toBe('9000');
    const signature = response.subarray(0, -2);
    expect(signature).toHaveLength(256);
    expect(verify('sha256', data, { key: cert.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)).toBe(true);
  });

  it('a minor persona reports no signing certificate in EF 0008 and has no EF 0001', async () => {
    const { card } = await serve('minor');
    await card.transmit(selectEf('0008'));
    const availability = await card.transmit('00b0000003');
    expect(availability.slice(0, 2)).not.toBe('8f');
    expect(availability.slice(2)).toBe('8f009000');
    expect(await card.transmit(selectEf('0001'))).toBe('6a82');
  });

  it('pulling the card (killing serve) is seen by pcsclite', async () => {
    const { served } = await serve();
    expect(readers.client.isCardPresent(served.readerName)).toBe(true);
    await served.pull();
    await readers.client.waitForCard(served.readerName, false);
    expect(readers.client.isCardPresent(served.readerName)).toBe(false);
  });

  it('serve puts the card back by itself after pcscd restarts', async () => {
    const { served } = await serve();
    await restartPcscd();
    const fresh = PcscClient.open();
    try {
      await fresh.waitForCard(served.readerName, true, 30_000);
      const card = await fresh.connect(served.readerName);
      expect(await card.transmit(SELECT_JPKI)).toBe('9000');
      await card.disconnect('reset');
    } finally {
      await fresh.close();
    }
    // The long-lived client's context died with the old pcscd: give the remaining tests a new one.
    await readers.renewClient();
  });

  it('removeAt pulls the card on the N-th APDU without answering it', async () => {
    const { card, served } = await readers.serve({ stateFile: await createCardState(), removeAt: 2 });
    expect(await card.transmit(SELECT_JPKI)).toBe('9000');
    // The card is gone mid-APDU: PC/SC reports an error or an empty response, never a status word.
    const outcome = await card.transmit(selectEf('000a')).catch(() => 'error');
    expect(['', 'error']).toContain(outcome);
    await served.exited();
    expect(await served.traceCommands()).toEqual([SELECT_JPKI]);
    await readers.client.waitForCard(served.readerName, false);
  });
});
