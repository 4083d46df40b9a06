/**
 * `--card pcsc` (default) | `--card virtual:FILE` → a backend. Both are loaded lazily: choosing
 * one costs nothing until the first command touches a card.
 */
import type { CardBackend, ReaderSlot } from './backend.ts';

export type CardSpec = { kind: 'pcsc' } | { kind: 'virtual'; file: string };

export function parseCardSpec(value: string | undefined): CardSpec {
  if (value === undefined || value === 'pcsc') return { kind: 'pcsc' };
  if (value.startsWith('virtual:') && value.length > 'virtual:'.length) return { kind: 'virtual', file: value.slice('virtual:'.length) };
  throw new Error(`--card must be "pcsc" or "virtual:FILE", not "${value}"`);
}

export function createBackend(spec: CardSpec): CardBackend {
  let loaded: Promise<CardBackend> | null = null;
  const load = () =>
    (loaded ??=
      spec.kind === 'pcsc'
        ? import('./pcsc-backend.ts').then((m) => m.createPcscBackend())
        : import('./virtual-backend.ts').then((m) => m.createVirtualBackend(spec.file)));
  return {
    async withReaders<T>(fn: (slots: ReaderSlot[]) => Promise<T>, mode: 'all' | 'one'): Promise<T> {
      return (await load()).withReaders(fn, mode);
    },
    async close() {
      if (loaded) await (await loaded).close();
    },
  };
}
