/** Mounts an extension page's root component with translations and the shared style. */
import { type ComponentType, render } from 'preact';
import './style.css';
import { pageTranslator } from './i18n.ts';
import { I18nContext } from './Text.tsx';

export function mountPage(root: HTMLElement, Page: ComponentType, titleKey: string): void {
  const translator = pageTranslator();
  document.title = translator.t(titleKey);
  render(
    <I18nContext.Provider value={translator}>
      <Page />
    </I18nContext.Provider>,
    root,
  );
}
