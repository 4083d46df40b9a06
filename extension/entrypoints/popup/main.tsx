/** Popup page: wiring only. */
import { mountPage } from '../../src/ui/mount.tsx';
import { Popup } from '../../src/popup/Popup.tsx';

void mountPage(document.getElementById('app')!, Popup, 'popupTitle');
