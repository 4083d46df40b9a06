/** Mounts the dialog at once; it renders when the first state from the background is in. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../ui/style.css';
import type { DialogState } from '../dialog-protocol.ts';
import { pageTranslator } from '../ui/i18n.ts';
import { I18nContext } from '../ui/Text.tsx';
import { type DialogConnection, connectDialog } from './connection.ts';
import { Dialog } from './Dialog.tsx';

export function startDialog(root: HTMLElement): void {
  const connection = connectDialog(); // connect first: the background waits for this port
  const translator = pageTranslator();
  document.title = translator.t('dialogTitle');
  render(
    <I18nContext.Provider value={translator}>
      <App connection={connection} />
    </I18nContext.Provider>,
    root,
  );
}

function App({ connection }: { connection: DialogConnection }) {
  const [state, setState] = useState<DialogState | null>(null);
  useEffect(() => connection.onState(setState), []);
  return state ? <Dialog state={state} connection={connection} /> : null;
}
