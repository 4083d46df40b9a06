/**
 * A Vite plugin that takes Preact's one dynamic `innerHTML` assignment — the `dangerouslySetInnerHTML`
 * prop, which no page of ours uses — out of the extension's bundle: Mozilla's addons-linter flags
 * it (UNSAFE_VAR_ASSIGNMENT), and an extension page should not be able to set HTML from a value at
 * all. The prop now throws instead. If a Preact release words it differently the build fails here,
 * so the linter's warning cannot come back unnoticed.
 */
import type { Plugin } from 'vite';

const ASSIGNMENT = /(\b\w+)\.innerHTML=(\w+)\.__html/g;

export function preactWithoutInnerHtml(): Plugin {
  return {
    name: 'jpki-bridge:preact-without-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]preact[\\/]dist[\\/]preact\.(module\.js|mjs)$/.test(id)) return null;
      const replaced = code.replace(ASSIGNMENT, () => '(()=>{throw new Error("dangerouslySetInnerHTML is not allowed in jpki-bridge")})()');
      if (replaced === code) this.error(`preact-no-inner-html: Preact's innerHTML assignment not found in ${id}`);
      return { code: replaced, map: null };
    },
  };
}
