/**
 * Runs in the page's own world (not our isolated one) at document_start, before any page script,
 * and only on the allow-listed portal origins whose "present as Windows" switch is on
 * (background/os-presentation.ts registers it there, on systems other than Windows and macOS).
 * Real portal pages refuse a browser that says Linux; this makes the navigator say Windows, as the
 * request headers do. Nothing of the extension is reachable from here: it only redefines getters.
 */
import { WINDOWS, windowsUserAgent } from '../lib/windows-identity.ts';

interface UaData {
  readonly brands: unknown;
  readonly mobile: boolean;
  readonly platform: string;
  getHighEntropyValues(hints: string[]): Promise<Record<string, unknown>>;
}
type WindowsNavigator = Navigator & { userAgentData?: UaData; oscpu?: string };

export function presentWindows(nav: WindowsNavigator): void {
  const define = (target: object, name: string, value: unknown) =>
    Object.defineProperty(target, name, { get: () => value, configurable: true, enumerable: true });
  define(nav, 'userAgent', windowsUserAgent(nav.userAgent));
  const firefox = nav.oscpu !== undefined; // oscpu is Firefox's alone
  // Chromium's appVersion repeats the user agent's platform group; Firefox's names the OS family.
  define(nav, 'appVersion', firefox ? WINDOWS.firefoxAppVersion : windowsUserAgent(nav.appVersion));
  define(nav, 'platform', WINDOWS.navigatorPlatform);
  if (firefox) define(nav, 'oscpu', WINDOWS.token);

  const real = nav.userAgentData; // Chromium only
  if (!real) return;
  // Same prototype (instanceof NavigatorUAData holds); own properties shadow the prototype's
  // getters, which would throw on an object that is not the browser's own.
  const windows: UaData = Object.create(Object.getPrototypeOf(real));
  define(windows, 'brands', real.brands);
  define(windows, 'mobile', real.mobile);
  define(windows, 'platform', WINDOWS.platform);
  Object.defineProperties(windows, {
    getHighEntropyValues: {
      value: async (hints: string[]) => {
        const values = await real.getHighEntropyValues(hints);
        values.platform = WINDOWS.platform;
        if ('platformVersion' in values) values.platformVersion = WINDOWS.platformVersion;
        return values;
      },
    },
    toJSON: { value: () => ({ brands: real.brands, mobile: real.mobile, platform: WINDOWS.platform }) },
  });
  define(nav, 'userAgentData', windows);
}
