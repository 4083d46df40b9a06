/**
 * doctor and `install --flatpak` on a resident's desktop that this machine does not have — Snap
 * and Flatpak browsers, USB readers — SIMULATED (docs/testing.md): a fake root (sysfs, /snap,
 * /var/lib/flatpak, libccid's Info.plist), a fake HOME, and fake `snap` / `flatpak` commands
 * first on PATH that answer as the real ones print. The built CLI runs against them.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GECKO_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { ccidSupported, CCID_INFO_PLIST } from '../../native-host/src/doctor/usb-readers.ts';
import { currentMachine } from '../../native-host/src/doctor/machine.ts';
import { HOST_BIN } from '../../tools/dev/checkout.ts';

/** A libccid Info.plist in its real shape (parallel arrays), with the two Sony CCID readers of the real one. */
const PLIST = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
	<key>ifdVendorID</key>
	<array>
		<string>0x072F</string>
		<string>0x054C</string>
		<string>0x054C</string>
	</array>
	<key>ifdProductID</key>
	<array>
		<string>0x90CC</string>
		<string>0x0DC8</string>
		<string>0x0DC9</string>
	</array>
	<key>ifdFriendlyName</key>
	<array>
		<string>ACS ACR 38U-CCID</string>
		<string>SONY FeliCa RC-S300/S</string>
		<string>SONY FeliCa RC-S300/P</string>
	</array>
</dict></plist>
`;

function put(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}

function usbDevice(
  root: string,
  name: string,
  ids: { vendor: string; product: string; manufacturer: string; product_name: string; interfaceClass: string },
): void {
  const dir = join(root, 'sys/bus/usb/devices', name);
  put(join(dir, 'idVendor'), `${ids.vendor}\n`);
  put(join(dir, 'idProduct'), `${ids.product}\n`);
  put(join(dir, 'manufacturer'), `${ids.manufacturer}\n`);
  put(join(dir, 'product'), `${ids.product_name}\n`);
  put(join(root, 'sys/bus/usb/devices', `${name}:1.0`, 'bInterfaceClass'), `${ids.interfaceClass}\n`);
}

/** A desktop with a Snap Chromium, a Flatpak Firefox, an RC-S380, an RC-S300 and a keyboard. */
function simulatedDesktop(options: { ubuntu?: boolean } = {}) {
  const base = mkdtempSync(join(tmpdir(), 'jpki-desktop-'));
  const root = join(base, 'root');
  const home = join(base, 'home');
  const bin = join(base, 'bin');
  mkdirSync(home, { recursive: true });
  put(join(root, CCID_INFO_PLIST), PLIST);
  usbDevice(root, '1-1', { vendor: '054c', product: '06c3', manufacturer: 'SONY', product_name: 'RC-S380/S', interfaceClass: 'ff' });
  usbDevice(root, '1-2', { vendor: '054c', product: '0dc8', manufacturer: 'SONY', product_name: 'RC-S300/S', interfaceClass: '0b' });
  usbDevice(root, '1-3', { vendor: '046d', product: 'c31c', manufacturer: 'Logitech', product_name: 'USB Keyboard', interfaceClass: '03' });
  put(join(root, 'snap/bin/chromium'), '');
  mkdirSync(join(root, 'var/lib/flatpak/app/org.mozilla.firefox'), { recursive: true });
  if (options.ubuntu) put(join(root, 'etc/os-release'), 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n');
  // `snap list` and `flatpak list --app --columns=application` as they print; the rest prints nothing.
  put(
    join(bin, 'snap'),
    `#!/bin/sh\n[ "$1" = list ] && printf 'Name      Version        Rev    Tracking       Publisher   Notes\\nchromium  131.0.6778.85  2993   latest/stable  canonical✓  -\\n'\n`,
    0o755,
  );
  put(join(bin, 'flatpak'), `#!/bin/sh\n[ "$1" = list ] && echo org.mozilla.firefox\nexit 0\n`, 0o755);
  const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), JPKI_BRIDGE_DOCTOR_ROOT: root, LANG: 'C.UTF-8' };
  const cli = (...args: string[]) => spawnSync(process.execPath, [HOST_BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { root, home, cli };
}

describe('doctor on a simulated desktop (Snap Chromium, Flatpak Firefox, RC-S380)', () => {
  it('runs every check, names each browser and reader with its fix, and exits non-zero', () => {
    const { cli } = simulatedDesktop();
    const doctor = cli('doctor');
    const out = doctor.stdout;
    expect(doctor.status, out + doctor.stderr).toBe(1);
    expect(out).toMatch(/\[NG\] Chromium \(snap\) .*cannot start native hosts outside Ubuntu/);
    expect(out).toContain('Google Chrome / Chromium from a .deb package');
    expect(out).toMatch(/\[NG\] Firefox \(flatpak\) .*no manifest in the app's folder/);
    expect(out).toContain('jpki-bridge install --flatpak org.mozilla.firefox');
    expect(out).toMatch(/\[NG\] SONY RC-S380\/S \(054c:06c3\) \/ pcscd cannot drive it/);
    expect(out).toMatch(/RC-S300\/S or RC-S300\/P/);
    expect(out).toMatch(/\[OK\] SONY RC-S300\/S \(054c:0dc8\) .*libccid: SONY FeliCa RC-S300\/S/);
    expect(out).not.toContain('Keyboard');
    // Never stops at the first NG: the manifest check and the reader list both came after NGs.
    expect(out).toMatch(/\[NG\] マニフェスト/);
    expect(out.indexOf('USB カードリーダー')).toBeGreaterThan(out.indexOf('[NG] Chromium'));
    expect(out).not.toContain('`');
  });

  it('install --flatpak --dry-run shows every path and writes nothing', () => {
    const { cli, home } = simulatedDesktop();
    mkdirSync(join(home, '.var/app/org.mozilla.firefox'), { recursive: true });
    const dry = cli('install', '--flatpak', '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    const manifest = join(home, '.var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts/jpki_bridge.json');
    const wrapper = join(home, '.var/app/org.mozilla.firefox/data/jpki-bridge/jpki-bridge-host');
    expect(dry.stdout).toContain(manifest);
    expect(dry.stdout).toContain(wrapper);
    expect(dry.stdout).toContain('flatpak override --user --talk-name=org.freedesktop.Flatpak org.mozilla.firefox');
    expect(existsSync(manifest)).toBe(false);
    expect(existsSync(wrapper)).toBe(false);
  });

  it('after install --flatpak and the override, doctor says the Flatpak Firefox can start the host; the Ubuntu Snap Chromium gets a note', () => {
    const { cli, home, root } = simulatedDesktop({ ubuntu: true });
    const install = cli('install', '--flatpak', 'org.mozilla.firefox');
    expect(install.status, install.stdout + install.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(home, '.var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts/jpki_bridge.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'jpki_bridge', type: 'stdio', allowed_extensions: [GECKO_EXTENSION_ID] });
    expect(manifest.path).toBe(join(home, '.var/app/org.mozilla.firefox/data/jpki-bridge/jpki-bridge-host'));
    const wrapper = readFileSync(manifest.path, 'utf8');
    expect(wrapper).toMatch(/^exec flatpak-spawn --host '[^']+' '[^']+cli\.mjs' host --card 'pcsc' "\$@"$/m);

    expect(cli('doctor').stdout).toMatch(
      /\[NG\] Firefox \(flatpak\) .*Run: flatpak override --user --talk-name=org\.freedesktop\.Flatpak org\.mozilla\.firefox/s,
    );
    // What `flatpak override --user --talk-name=…` writes (flatpak-override(1)).
    put(join(home, '.local/share/flatpak/overrides/org.mozilla.firefox'), '[Context]\n\n[Session Bus Policy]\norg.freedesktop.Flatpak=talk\n');
    // …and the system-wide manifest the .deb installs, which the Ubuntu portal reads for the snap.
    put(join(root, 'etc/chromium/native-messaging-hosts/jpki_bridge.json'), '{}');
    const doctor = cli('doctor').stdout;
    expect(doctor).toMatch(/\[OK\] Firefox \(flatpak\) .*wrapper manifest/);
    expect(doctor).toMatch(/\[注意\] Chromium \(snap\) .*WebExtensions portal/);
  });
});

describe("libccid's list", () => {
  it.runIf(existsSync(CCID_INFO_PLIST))("this machine's libccid drives the RC-S300 and not the RC-S380", () => {
    const supported = ccidSupported(currentMachine({}))!;
    expect(supported.size).toBeGreaterThan(100);
    expect(supported.get('054c:0dc8')).toBe('SONY FeliCa RC-S300/S');
    expect(supported.has('054c:06c1')).toBe(false);
    expect(supported.has('054c:06c3')).toBe(false);
  });
});
