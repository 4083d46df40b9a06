/**
 * The USB card readers plugged in (sysfs), and whether pcscd can drive each. pcscd drives USB
 * readers through libccid, which matches a reader by its USB ids against the list in its
 * Info.plist (Debian's libccid: /usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Info.plist, read at
 * run time so the list is the installed one; the same list is published at
 * https://ccid.apdu.fr/ccid/supported.html). A reader it does not drive never appears in pcscd's
 * list, and nothing else says why — so doctor says it.
 */
import type { Machine } from './machine.ts';

export const SYSFS_USB = '/sys/bus/usb/devices';
export const CCID_INFO_PLIST = '/usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Info.plist';

/**
 * Readers known not to be CCID, so no pcscd driver handles them. Sony's PaSoRi RC-S380 (two
 * USB ids: RC-S380/S 054c:06c3 and the older 054c:06c1) speaks Sony's own NFC port protocol, for
 * which Sony publishes a Windows/macOS driver only; its successor RC-S300 is in libccid's list.
 */
export const NOT_CCID: Record<string, { name: string; advice: { ja: string; en: string } }> = {
  '054c:06c1': { name: 'Sony PaSoRi RC-S380', advice: rcs380() },
  '054c:06c3': { name: 'Sony PaSoRi RC-S380/S', advice: rcs380() },
};

function rcs380() {
  return {
    ja: 'RC-S380 は CCID ではないため Linux の pcscd では使えません。CCID 対応のリーダー (例: SONY RC-S300/S・RC-S300/P、または libccid の対応表にある接触型リーダー) をお使いください。',
    en: "The RC-S380 is not a CCID reader, so pcscd on Linux cannot drive it. Use a CCID reader instead: e.g. Sony RC-S300/S or RC-S300/P, or a contact reader in libccid's supported list (https://ccid.apdu.fr/ccid/supported.html).",
  };
}

export interface UsbReader {
  /** vvvv:pppp, lower case. */
  id: string;
  name: string;
  verdict: 'driven' | 'not-driven' | 'unknown';
  why: string;
}

/** libccid's supported readers, `vvvv:pppp` → name; null when libccid is not installed. */
export function ccidSupported(machine: Machine): Map<string, string> | null {
  const plist = machine.read(CCID_INFO_PLIST);
  if (plist === null) return null;
  const array = (key: string) =>
    [...(new RegExp(`<key>${key}</key>\\s*<array>([\\s\\S]*?)</array>`).exec(plist)?.[1] ?? '').matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]!);
  const vendors = array('ifdVendorID');
  const products = array('ifdProductID');
  const names = array('ifdFriendlyName');
  const out = new Map<string, string>();
  vendors.forEach((vendor, i) => {
    const product = products[i];
    if (product) out.set(`${hex(vendor)}:${hex(product)}`, names[i] ?? '');
  });
  return out;
}

const hex = (value: string) => value.replace(/^0x/i, '').toLowerCase().padStart(4, '0');

/** USB devices that are card readers: a CCID interface (class 0x0b), or known by id either way. */
export function usbReaders(machine: Machine, supported: Map<string, string> | null): UsbReader[] {
  const entries = machine.list(SYSFS_USB);
  const readers: UsbReader[] = [];
  for (const device of entries.filter((name) => !name.includes(':'))) {
    const attr = (dir: string, name: string) => machine.read(`${SYSFS_USB}/${dir}/${name}`)?.trim() ?? '';
    const vendor = attr(device, 'idVendor');
    const productId = attr(device, 'idProduct');
    if (!vendor || !productId) continue;
    const id = `${hex(vendor)}:${hex(productId)}`;
    const ccidInterface = entries.some((name) => name.startsWith(`${device}:`) && attr(name, 'bInterfaceClass').toLowerCase() === '0b');
    const known = NOT_CCID[id];
    const listed = supported?.get(id);
    if (!known && !ccidInterface && listed === undefined) continue;
    const name = [attr(device, 'manufacturer'), attr(device, 'product')].filter(Boolean).join(' ') || known?.name || listed || id;
    if (known) readers.push({ id, name, verdict: 'not-driven', why: 'not CCID / CCID ではありません' });
    else if (listed !== undefined) readers.push({ id, name, verdict: 'driven', why: `libccid: ${listed}` });
    else if (supported === null) readers.push({ id, name, verdict: 'unknown', why: 'libccid is not installed / libccid がありません' });
    else readers.push({ id, name, verdict: 'unknown', why: "a CCID interface, but not in libccid's list / CCID ですが libccid の対応表にありません" });
  }
  return readers;
}
