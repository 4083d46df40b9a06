/**
 * The time left, and DEADLINE_WARNING_MS before the end a warning with 延長 (extend), which the
 * background grants a bounded number of times (deadline.ts); the warning says how many remain.
 */
import { useEffect, useState } from 'preact/hooks';
import { DEADLINE_EXTENSION_MS, DEADLINE_WARNING_MS } from '@jpki-bridge/shared/constants';
import { Text, useI18n } from '../ui/Text.tsx';

export function DeadlineFooter({ deadline, extensionsLeft, onExtend }: { deadline: number; extensionsLeft: number; onExtend: () => void }) {
  const i18n = useI18n();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const leftMs = Math.max(0, deadline - now);
  const left = Math.round(leftMs / 1000);
  const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  const warn = leftMs <= DEADLINE_WARNING_MS;
  return (
    <div class="deadline">
      {warn && (
        <div class="warning deadline-warning" role="alert" data-testid="deadline-warning">
          <Text k={extensionsLeft > 0 ? 'deadlineWarning' : 'deadlineWarningFinal'} subs={{ seconds: left }} />
          {extensionsLeft > 0 && (
            <button id="extend" type="button" data-testid="extend" onClick={onExtend}>
              <Text k="extend" subs={{ minutes: DEADLINE_EXTENSION_MS / 60_000, count: extensionsLeft }} />
            </button>
          )}
        </div>
      )}
      <span class="small" data-testid="countdown">
        {i18n.t('timeLeft', { time })}
      </span>
    </div>
  );
}
