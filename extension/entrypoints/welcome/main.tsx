/** First-run page (unlisted, opened on install): wiring only. */
import { mountPage } from '../../src/ui/mount.tsx';
import { Welcome } from '../../src/welcome/Welcome.tsx';

void mountPage(document.getElementById('app')!, Welcome, 'welcomeTitle');
