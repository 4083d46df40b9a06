/**
 * postinst and postrm: the /etc/opt links that the package itself may not ship (layout.ts).
 * postinst creates only the directories that are missing and writes them down; postrm removes
 * the links and then exactly those directories (when empty), so `dpkg -P` leaves the file system
 * as it found it — also when the browser, or another host, uses the same directory.
 */
import { posix } from 'node:path';
import { BROWSERS, CHROMIUM_MANIFEST, CREATED_DIRS_FILE, linkedByMaintainerScripts, systemManifestPath } from './layout.ts';

const links = () => BROWSERS.filter(linkedByMaintainerScripts).map((browser) => systemManifestPath(browser));

/** The directories below /etc/opt down to `dir`, outermost first (/etc/opt itself is ensured first, on its own). */
function chain(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; d !== '/etc/opt'; d = posix.dirname(d)) out.unshift(d);
  return out;
}

export function postinst(): string {
  const lines = [
    '#!/bin/sh',
    '# jpki-bridge: link the system-wide native messaging manifest into the browsers that read /etc/opt.',
    'set -e',
    '',
    'ensure_dir() {',
    '  if [ ! -d "$1" ]; then',
    '    mkdir -p "$1"',
    `    mkdir -p ${posix.dirname(CREATED_DIRS_FILE)}`,
    `    echo "$1" >> ${CREATED_DIRS_FILE}`,
    '  fi',
    '}',
    '',
    'if [ "$1" = configure ]; then',
    '  ensure_dir /etc/opt',
  ];
  for (const link of links()) {
    for (const dir of chain(posix.dirname(link))) lines.push(`  ensure_dir ${dir}`);
    lines.push(`  ln -sfn ${CHROMIUM_MANIFEST} ${link}`);
  }
  lines.push('fi', '', 'exit 0', '');
  return lines.join('\n');
}

export function postrm(): string {
  const lines = [
    '#!/bin/sh',
    '# jpki-bridge: remove the links postinst made, then the directories it had to create (if empty).',
    'set -e',
    '',
    'case "$1" in',
    '  remove|purge)',
  ];
  // Only a link that is ours: an administrator's own file in its place stays.
  for (const link of links()) lines.push(`    if [ -L ${link} ] && [ "$(readlink ${link})" = ${CHROMIUM_MANIFEST} ]; then rm -f ${link}; fi`);
  lines.push(
    `    if [ -f ${CREATED_DIRS_FILE} ]; then`,
    // Innermost first: postinst wrote them outermost first.
    `      tac ${CREATED_DIRS_FILE} | while read -r dir; do rmdir --ignore-fail-on-non-empty "$dir" 2>/dev/null || true; done`,
    `      rm -f ${CREATED_DIRS_FILE}`,
    `      rmdir --ignore-fail-on-non-empty ${posix.dirname(CREATED_DIRS_FILE)} 2>/dev/null || true`,
    '    fi',
    '    ;;',
    'esac',
    '',
    'exit 0',
    '',
  );
  return lines.join('\n');
}
