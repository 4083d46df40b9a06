/** "非公式 — J-LIS・デジタル庁とは関係ありません": on the options and first-run pages (and the store listings). */
import { Text } from './Text.tsx';

export function Unofficial() {
  return (
    <p class="unofficial" role="note" data-testid="unofficial">
      <Text k="unofficialNotice" />
    </p>
  );
}
