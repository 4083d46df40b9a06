/**
 * "このサイトをブロック", asked twice: the first click only opens the question, which says what
 * blocking does and, for a preset government portal, that the resident may need this very site;
 * the focus lands on "やめる", so that Enter pressed by habit blocks nothing.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { isPresetPortal } from '../settings/site-kind.ts';
import { Text, useI18n } from '../ui/Text.tsx';

export function BlockSite({ origin, open, onOpen, onBlock }: { origin: string; open: boolean; onOpen: (open: boolean) => void; onBlock: () => void }) {
  const i18n = useI18n();
  const keepRef = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (open) keepRef.current?.focus();
  }, [open]);
  if (!open) {
    return (
      <button id="block-site" type="button" class="link" data-testid="block-site" title={i18n.t('dialogBlockSiteHint')} onClick={() => onOpen(true)}>
        <Text k="dialogBlockSite" />
      </button>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: a question with two buttons, not a form's fieldset (no legend, no inputs)
    <div class="danger block-confirm" role="group" aria-labelledby="block-question" data-testid="block-confirm">
      <div id="block-question">
        <Text k="dialogBlockQuestion" block />
      </div>
      {isPresetPortal(origin) && (
        <div data-testid="block-preset-warning">
          <Text k="dialogBlockPresetWarning" block />
        </div>
      )}
      <div class="buttons">
        <button id="block-keep" ref={keepRef} type="button" onClick={() => onOpen(false)}>
          <Text k="dialogBlockKeep" />
        </button>
        <button id="block-confirm" type="button" class="danger-button" onClick={onBlock}>
          <Text k="dialogBlockConfirm" />
        </button>
      </div>
    </div>
  );
}
