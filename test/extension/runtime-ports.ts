/**
 * `runtime.connect` / `runtime.onConnect` for WXT's fakeBrowser, which leaves them unimplemented
 * ("mock the function yourself"). Each connect makes a connected pair of Ports, as the browser
 * does: a message posted on one end arrives (asynchronously, structurally copied) on the other;
 * `disconnect()` fires the *other* end's onDisconnect, never its own; a disconnected end cannot post.
 * Call after `fakeBrowser.reset()`; `vi.restoreAllMocks()` removes it.
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { Runtime } from 'webextension-polyfill';

type Listener = (...args: never[]) => void;

function event<L extends Listener>() {
  const listeners: L[] = [];
  return {
    listeners,
    addListener: (l: L) => void listeners.push(l),
    removeListener: (l: L) => void listeners.splice(listeners.indexOf(l) >>> 0, 1),
    hasListener: (l: L) => listeners.includes(l),
    hasListeners: () => listeners.length > 0,
  };
}

export interface PortEnd extends Runtime.Port {
  readonly disconnected: boolean;
}

function portPair(name: string, sender: Runtime.MessageSender): [PortEnd, PortEnd] {
  type End = {
    name: string;
    sender: Runtime.MessageSender | undefined;
    disconnected: boolean;
    peer: End | null;
    onMessage: ReturnType<typeof event<(message: unknown, port: Runtime.Port) => void>>;
    onDisconnect: ReturnType<typeof event<(port: Runtime.Port) => void>>;
    postMessage(message: unknown): void;
    disconnect(): void;
  };
  const make = (endSender: Runtime.MessageSender | undefined): End => {
    const end: End = {
      name,
      sender: endSender,
      disconnected: false,
      peer: null,
      onMessage: event(),
      onDisconnect: event(),
      postMessage(message) {
        if (end.disconnected) throw new Error('Attempting to use a disconnected port object');
        const copy = structuredClone(message);
        const peer = end.peer!;
        queueMicrotask(() => {
          if (!peer.disconnected) for (const l of [...peer.onMessage.listeners]) l(copy, peer as never);
        });
      },
      disconnect() {
        if (end.disconnected) return;
        const peer = end.peer!;
        end.disconnected = true;
        peer.disconnected = true;
        queueMicrotask(() => {
          for (const l of [...peer.onDisconnect.listeners]) l(peer as never);
        });
      },
    };
    return end;
  };
  const connector = make(undefined);
  const receiver = make(sender); // runtime.onConnect's end knows who connected
  connector.peer = receiver;
  receiver.peer = connector;
  return [connector, receiver] as unknown as [PortEnd, PortEnd];
}

export function installRuntimePorts(options: { sender?: (name: string) => Runtime.MessageSender } = {}) {
  const onConnect = event<(port: Runtime.Port) => void>();
  const connecting: PortEnd[] = [];
  vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation(onConnect.addListener as never);
  vi.spyOn(fakeBrowser.runtime.onConnect, 'removeListener').mockImplementation(onConnect.removeListener as never);
  vi.spyOn(fakeBrowser.runtime, 'connect').mockImplementation(((info?: { name?: string }) => {
    const name = info?.name ?? '';
    const sender = options.sender?.(name) ?? { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/dialog.html') };
    const [mine, theirs] = portPair(name, sender);
    connecting.push(mine);
    queueMicrotask(() => {
      for (const l of [...onConnect.listeners]) l(theirs);
    });
    return mine;
  }) as never);
  return { connecting, hasListeners: onConnect.hasListeners };
}
