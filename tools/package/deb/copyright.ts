/**
 * /usr/share/doc/jpki-bridge/copyright (Debian's machine-readable format): ours, then Node.js —
 * the executable is a copy of the embedded Node release (node-runtime.ts) — then every npm package esbuild put
 * into the bundle (read from its metafile, so the list cannot go stale), then pcsclite's addon.
 * Licence texts are the packages' own; the full Apache-2.0 and GPL-2 texts inside them are
 * replaced by Debian's copies in /usr/share/common-licenses (lintian refuses them inline).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { APP_VERSION_PREFIX } from '@jpki-bridge/shared/constants';
import type { NodeRuntime } from '../node-runtime.ts';
import { ROOT } from '../paths.ts';
import { ADDON, EXECUTABLE } from './layout.ts';

interface Component {
  name: string;
  version: string;
  copyright: string;
  licenseText: string;
}

export function copyrightFile(metafile: string, runtime: NodeRuntime): string {
  const node = nodeComponent(runtime);
  const bundled = bundledPackages(metafile).map((dir) => npmComponent(dir));
  const pcsclite = npmComponent(join(ROOT, 'node_modules/pcsclite'));
  const ours = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  const paragraphs = [
    [
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      'Upstream-Name: jpki-bridge',
      `Source: ${APP_VERSION_PREFIX.replace(/\/$/, '')}`,
      field(
        'Comment',
        `${EXECUTABLE} is Node.js ${node.version} made a single executable application, with jpki-bridge's command-line program bundled into it together with the npm packages ${bundled.map((c) => `${c.name} ${c.version}`).join(', ')}. ${ADDON} is the compiled addon of the npm package pcsclite ${pcsclite.version}.`,
      ),
    ],
    ['Files: *', field('Copyright', copyrightLine(ours)), 'License: Expat'],
    [
      `Files: ${EXECUTABLE.slice(1)}`,
      field('Copyright', [node, ...bundled].map((c) => `${c.copyright} (${c.name})`).join('\n')),
      `License: Expat and ${[node, ...bundled].map((c) => c.name).join(' and ')}`,
    ],
    [`Files: ${ADDON.slice(1)}`, field('Copyright', pcsclite.copyright), 'License: pcsclite'],
    [licence('Expat', ours)],
    ...[node, ...bundled, pcsclite].map((c) => [licence(c.name, c.licenseText)]),
  ];
  return `${paragraphs.map((p) => p.join('\n')).join('\n\n')}\n`;
}

/** The npm packages (their folders) that went into the bundle; our workspaces are not among them. */
function bundledPackages(metafile: string): string[] {
  const { inputs } = JSON.parse(readFileSync(metafile, 'utf8')) as { inputs: Record<string, unknown> };
  const dirs = new Set<string>();
  for (const input of Object.keys(inputs)) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const [first, second] = input.slice(at + 'node_modules/'.length).split('/');
    dirs.add(join(ROOT, input.slice(0, at), 'node_modules', first!.startsWith('@') ? `${first}/${second}` : first!));
  }
  return [...dirs].sort();
}

function npmComponent(dir: string): Component {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  const file = readdirSync(dir).find((name) => /^licen[cs]e(\.md|\.txt)?$/i.test(name));
  if (!file) throw new Error(`${pkg.name}: no LICENSE file to quote in the copyright file`);
  const licenseText = readFileSync(join(dir, file), 'utf8');
  return { name: pkg.name, version: pkg.version, copyright: copyrightLine(licenseText), licenseText };
}

/** Node's LICENSE, from the release the executable is made of. */
function nodeComponent(runtime: NodeRuntime): Component {
  const licenseText = readFileSync(join(runtime.nodedir, 'LICENSE'), 'utf8');
  return { name: 'Node.js', version: runtime.version, copyright: copyrightLine(licenseText), licenseText };
}

function copyrightLine(text: string): string {
  const line = text.split('\n').find((l) => /^\s*Copyright\b/i.test(l) && !/Copyright \(C\) 1989, 1991 Free Software Foundation/.test(l));
  if (!line) throw new Error(`no copyright line in: ${text.slice(0, 80)}…`);
  return line.trim().replace(/^Copyright\s*(\(c\)|©)?\s*/i, '');
}

const COMMON_LICENSES: { name: string; block: RegExp }[] = [
  { name: 'Apache-2.0', block: /Apache License\s+Version 2\.0, January 2004[\s\S]*?END OF TERMS AND CONDITIONS/g },
  // node-forge's copy stops after section 12, without the closing line.
  { name: 'GPL-2', block: /GNU GENERAL PUBLIC LICENSE\s+Version 2, June 1991[\s\S]*?(?:END OF TERMS AND CONDITIONS|$)/g },
];

function licence(name: string, text: string): string {
  let body = text;
  for (const { name: common, block } of COMMON_LICENSES) {
    body = body.replace(block, `[The full text of this licence is in /usr/share/common-licenses/${common} on Debian systems.]`);
  }
  return field('License', `${name}\n${body}`);
}

/** A DEP-5 field: continuation lines start with a space; an empty line is " .". */
function field(name: string, value: string): string {
  const [first, ...rest] = value.replace(/\r/g, '').replace(/\s+$/, '').split('\n');
  return [`${name}: ${first}`, ...rest.map((line) => (line.trim() === '' ? ' .' : ` ${line.replace(/\t/g, '        ')}`))].join('\n');
}
