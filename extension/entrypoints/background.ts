/** Background (service worker in MV3, event page in Firefox MV2): wiring only. */
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../src/background/main.ts';

export default defineBackground(() => startBackground());
