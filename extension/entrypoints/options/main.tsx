/** Options page: wiring only. */
import { mountPage } from '../../src/ui/mount.tsx';
import { Options } from '../../src/options/Options.tsx';

void mountPage(document.getElementById('app')!, Options, 'optionsTitle');
