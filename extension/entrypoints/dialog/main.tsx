/** PIN dialog page (unlisted): wiring only. */
import { startDialog } from '../../src/dialog/start.tsx';

void startDialog(document.getElementById('app')!);
