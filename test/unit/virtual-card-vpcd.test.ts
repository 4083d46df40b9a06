/** The vpcd bridge's wire protocol against a fake vpcd (a local TCP server), and the trace's PIN masking. */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { traceCommand } from '../../native-host/src/virtual-card/trace.ts';
import { VpcdBridge, type VpcdCard } from '../../native-host/src/virtual-card/vpcd.ts';

const ATR = Uint8Array.from([0x3b, 0x80, 0x80, 0x01, 0x01]);

/** A fake card that echoes `90 00` and records what it saw. */
function fakeCard() {
  const seen: string[] = [];
  const card: VpcdCard = {
    atr: ATR,
    transmit: (apdu) => {
      seen.push(Buffer.from(apdu).toString('hex'));
      return Uint8Array.from([0x90, 0x00]);
    },
    reset: () => seen.push('reset'),
  };
  return { card, seen };
}

/** A fake vpcd: accepts the card, lets the test send frames and read replies. */
async function fakeVpcd(): Promise<{ port: number; server: Server; next(): Promise<VpcdPeer> }> {
  const peers: VpcdPeer[] = [];
  const waiting: ((peer: VpcdPeer) => void)[] = [];
  const server = createServer((socket) => {
    const peer = new VpcdPeer(socket);
    const w = waiting.shift();
    if (w) w(peer);
    else peers.push(peer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  servers.push(server);
  return { port, server, next: () => (peers.length ? Promise.resolve(peers.shift()!) : new Promise((resolve) => waiting.push(resolve))) };
}

class VpcdPeer {
  private buffer = Buffer.alloc(0);
  private readers: (() => void)[] = [];
  closed: Promise<void>;
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (const r of this.readers.splice(0)) r();
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }
  /** Sends like vpcd 3.3 does: the 2-byte length and the payload as two writes. */
  send(payload: number[]): void {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(payload.length);
    this.socket.write(length);
    this.socket.write(Buffer.from(payload));
  }
  async reply(): Promise<string> {
    for (;;) {
      if (this.buffer.length >= 2) {
        const length = this.buffer.readUInt16BE(0);
        if (this.buffer.length >= 2 + length) {
          const out = this.buffer.subarray(2, 2 + length).toString('hex');
          this.buffer = this.buffer.subarray(2 + length);
          return out;
        }
      }
      await new Promise<void>((resolve) => this.readers.push(resolve));
    }
  }
}

const servers: Server[] = [];
const bridges: VpcdBridge[] = [];
afterEach(() => {
  for (const b of bridges.splice(0)) b.stop();
  for (const s of servers.splice(0)) s.close();
});

function bridgeTo(port: number, card: VpcdCard, extra: Partial<ConstructorParameters<typeof VpcdBridge>[1]> = {}) {
  const bridge = new VpcdBridge(card, { port, ...extra });
  bridges.push(bridge);
  return { bridge, done: bridge.run() };
}

describe('vpcd bridge', () => {
  it('answers the ATR request, forwards APDUs, and resets on power and reset frames', async () => {
    const vpcd = await fakeVpcd();
    const { card, seen } = fakeCard();
    bridgeTo(vpcd.port, card);
    const peer = await vpcd.next();
    peer.send([0x04]);
    expect(await peer.reply()).toBe(Buffer.from(ATR).toString('hex'));
    peer.send([0x01]);
    peer.send([0x00, 0xa4, 0x04, 0x0c]);
    expect(await peer.reply()).toBe('9000');
    peer.send([0x02]);
    peer.send([0x00, 0xb0, 0x00, 0x00, 0x04]);
    expect(await peer.reply()).toBe('9000');
    expect(seen).toEqual(['reset', '00a4040c', 'reset', '00b0000004']);
  });

  it('removeAt: closes the socket on the N-th APDU without answering it, and stops', async () => {
    const vpcd = await fakeVpcd();
    const { card, seen } = fakeCard();
    const { done } = bridgeTo(vpcd.port, card, { removeAt: 2 });
    const peer = await vpcd.next();
    peer.send([0x04]); // control frames do not count
    await peer.reply();
    peer.send([0x00, 0xa4, 0x04, 0x0c]);
    expect(await peer.reply()).toBe('9000');
    peer.send([0x00, 0xb0, 0x00, 0x00, 0x04]);
    await peer.closed;
    expect(await done).toBe('removed');
    expect(seen.filter((s) => s !== 'reset')).toEqual(['00a4040c']);
  });

  it('reconnects when vpcd goes away and comes back (pcscd restart)', async () => {
    const vpcd = await fakeVpcd();
    const { card } = fakeCard();
    const statuses: string[] = [];
    bridgeTo(vpcd.port, card, { onStatus: (s) => statuses.push(s) });
    const first = await vpcd.next();
    first.send([0x04]);
    await first.reply();
    first.socket.destroy();
    const second = await vpcd.next();
    second.send([0x00, 0x20, 0x00, 0x80]);
    expect(await second.reply()).toBe('9000');
    expect(statuses).toEqual(['inserted', 'disconnected', 'inserted']);
  });

  it('keeps retrying while nothing listens, then connects', async () => {
    const probe = await fakeVpcd();
    const port = probe.port;
    await new Promise<void>((resolve) => probe.server.close(() => resolve()));
    const { card } = fakeCard();
    const statuses: string[] = [];
    bridgeTo(port, card, { onStatus: (s) => statuses.push(s) });
    await new Promise((r) => setTimeout(r, 300));
    expect(statuses).toEqual(['waiting']);
    const server = createServer((socket) => socket.write(Buffer.from([0x00, 0x01, 0x04])));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await expect.poll(() => statuses, { timeout: 5_000 }).toContain('inserted');
  });

  it('stop() pulls the card and run() resolves "stopped"', async () => {
    const vpcd = await fakeVpcd();
    const { card } = fakeCard();
    const { bridge, done } = bridgeTo(vpcd.port, card);
    const peer = await vpcd.next();
    bridge.stop();
    await peer.closed;
    expect(await done).toBe('stopped');
  });
});

describe('trace', () => {
  it('masks the PIN bytes of VERIFY and CHANGE REFERENCE DATA, keeping the header visible', () => {
    expect(traceCommand(Buffer.from('002000800431323334', 'hex'))).toBe('0020008004********');
    expect(traceCommand(Buffer.from('0024018006414243313233', 'hex'))).toBe('0024018006************');
  });
  it('masks every byte after Lc even when Lc understates the data (a malformed VERIFY still holds a PIN)', () => {
    expect(traceCommand(Buffer.from('002000800131323334', 'hex'))).toBe('0020008001********');
    expect(traceCommand(Buffer.from('0024018002414243313233', 'hex'))).toBe('0024018002************');
  });
  it('leaves the retry-counter query and other APDUs as they are', () => {
    expect(traceCommand(Buffer.from('00200080', 'hex'))).toBe('00200080');
    expect(traceCommand(Buffer.from('00a4020c02000a', 'hex'))).toBe('00a4020c02000a');
  });
});
