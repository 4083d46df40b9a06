/**
 * `--card pcsc` (default) | `--card pcsc:READER` | `--card virtual:FILE` → a backend. Both are
 * loaded lazily: choosing one costs nothing until the first command touches a card.
 * `pcsc:READER` uses that one PC/SC reader, by its exact name, and no other: the testing kit and
 * the demo name the virtual reader they served their card into, so that a developer's real card
 * in another reader never receives the virtual card's PINs (and loses tries).
 */
import type { CardBackend, ReaderSlot } from './backend.ts';

export type CardSpec = { kind: 'pcsc'; reader?: string } | { kind: 'virtual'; file: string };

export function parseCardSpec(value: string | undefined): CardSpec {
  if (value === undefined || value === 'pcsc') return { kind: 'pcsc' };
  if (value.startsWith('pcsc:') && value.length > 'pcsc:'.length) return { kind: 'pcsc', reader: value.slice('pcsc:'.length) };
  if (value.startsWith('virtual:') && value.length > 'virtual:'.length) return { kind: 'virtual', file: value.slice('virtual:'.length) };
  throw new Error(`--card must be "pcsc", "pcsc:READER" or "virtual:FILE", not "${value}"`);
}

export function createBackend(spec: CardSpec): CardBackend {
  let loaded: Promise<CardBackend> | null = null;
  const load = () =>
    (loaded ??=
      spec.kind === 'pcsc'
        ? import('./pcsc-backend.ts').then((m) => m.createPcscBackend(spec.reader === undefined ? {} : { reader: spec.reader }))
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
