/**
 * Every verb of jpki-bridge, one row each: how a web page (`page`) or a portal page (`portalMode`)
 * asks for it, the native command that carries it to the host (`native`), the PIN the user enters
 * (`pin`) and the dialog's wording of it (`wording`). What a page sends for each action is
 * PAGE_REQUEST_FIELDS, bounded by PAGE_FIELDS. The extension's actions and PIN dialog, the host's
 * dispatcher, `jpki-bridge run` and the content script take these facts from here.
 *
 * Plain constants, no imports that survive compilation: the content script, which runs on every
 * https page within a 4 KB budget, imports this file. The code half of the protocol is keyed by the
 * same names — the schemas in protocol/native.ts, page.ts and portal.ts (`satisfies` the names
 * derived here, so a row without its schema does not compile) and the semantic checks of
 * protocol/checks.ts, which follow the fields: a field means the same on every hop.
 *
 * A new verb is a row here, its schemas there, a host command module in the dispatcher's table
 * and, for a page or portal verb, a handler in the background's table (router.ts, portal.ts).
 */
import type { PinKind } from './policy.ts';

/**
 * What a web page sends, by wire name, and its bound. The schemas (protocol/fields.ts) apply
 * exactly these; the content script copies nothing larger out of a page's message.
 */
export const PAGE_FIELDS = {
  /** base64, checked as a challenge nonce (44–128 characters) afterwards. */
  challengeNonce: { maxLength: 1024 },
  /** 1–16 hashes, each base64 of at most SHA-512's DigestInfo (83 bytes), rounded up. */
  hashes: { maxLength: 128, maxItems: 16 },
  /** One of HASH_FUNCTIONS (protocol/fields.ts); the bound only limits what is copied. */
  hashFunction: { maxLength: 16 },
  /** base64 DER, ~1.5 KB; 16 KiB leaves room and bounds work. */
  certificate: { maxLength: 16_384, optional: true },
} as const;

export type PageFieldName = keyof typeof PAGE_FIELDS;

export interface Operation {
  /** The page API action (`jpki:*`) when any web page may ask for it. */
  readonly page?: `jpki:${string}`;
  /** The `launchApp` mode when allow-listed portal pages may ask for it. */
  readonly portalMode?: string;
  /** The native command the background sends the host (none: nothing for the host to do). */
  readonly native?: string;
  /** The PIN the user enters: one key's, or 'chosen' when the request's `kind` picks the key. */
  readonly pin?: PinKind | 'chosen';
  /** The PIN dialog's wording: its i18n keys are `use<wording>Title` and `use<wording>Body`. */
  readonly wording?: string;
}

export const OPERATIONS = {
  /** Pages get only the versions, from the host's hello; the popup and `run` send the command. */
  status: { page: 'jpki:status', native: 'status' },
  authenticate: { page: 'jpki:authenticate', native: 'authenticate', pin: 'auth', wording: 'Authenticate' },
  /** The card shows the signing certificate only after the signing PIN. */
  'get-signing-certificate': { page: 'jpki:get-signing-certificate', native: 'get-signing-certificate', pin: 'sign', wording: 'Certificate' },
  sign: { page: 'jpki:sign', native: 'sign', pin: 'sign', wording: 'Sign' },
  /** The portal's login: the authentication key signs the page's `digest` bytes as they are. */
  'portal-login': { portalMode: '01', native: 'portal-login', pin: 'auth', wording: 'Authenticate' },
  /** The portal's signing: one `digest` or a list, bytes as they are, one PIN entry. */
  'portal-sign': { portalMode: '02', native: 'portal-sign', pin: 'sign', wording: 'Sign' },
  /** The portal's card-face text (券面事項入力補助): name, address, date of birth, sex — never the My Number. */
  'portal-text': { portalMode: '04', native: 'portal-text', pin: 'text', wording: 'Text' },
  /** Nothing to do: every operation ends with its own dialog. */
  'portal-close': { portalMode: '05' },
  /** From the extension's popup only, never from a web page. */
  'change-pin': { native: 'change-pin', pin: 'chosen' },
} as const satisfies Record<string, Operation>;

type Rows = typeof OPERATIONS;
export type OperationName = keyof Rows;
type Column<C extends keyof Operation> = { [N in OperationName]: Rows[N] extends Record<C, infer V> ? V : never }[OperationName];
type NamesWith<C extends keyof Operation> = { [N in OperationName]: Rows[N] extends Record<C, unknown> ? N : never }[OperationName];

export type PageAction = Column<'page'>;
export type NativeCommand = Column<'native'>;
export type PortalOperation = NamesWith<'portalMode'>;
/** The verbs the PIN dialog asks for (the `use` of a dialog state). */
export type DialogUse = NamesWith<'wording'>;

/**
 * The page-facing column apart from the rows — what a page sends for each action besides
 * `timeout` (which every action takes) — because the content script must carry it and nothing
 * else of the table. `satisfies` keeps its keys exactly the rows' `page` actions.
 */
export const PAGE_REQUEST_FIELDS = {
  'jpki:status': [],
  'jpki:authenticate': ['challengeNonce'],
  'jpki:get-signing-certificate': [],
  'jpki:sign': ['hashes', 'hashFunction', 'certificate'],
} as const satisfies Record<PageAction, readonly PageFieldName[]>;

/** Every row with every column, for code that looks rows up by a runtime name. */
export const OPERATION_ROWS: Readonly<Record<OperationName, Operation>> = OPERATIONS;

/** Whether an untrusted value names a page action (own keys only: `__proto__` is none). */
export function isPageAction(value: unknown): value is PageAction {
  return typeof value === 'string' && Object.hasOwn(PAGE_REQUEST_FIELDS, value);
}

/** The portal mode's row name, or undefined (also for a missing mode: rows without one are not portal rows). */
export function operationOfPortalMode(mode: unknown): PortalOperation | undefined {
  if (typeof mode !== 'string') return undefined;
  return (Object.keys(OPERATION_ROWS) as OperationName[]).find((name) => OPERATION_ROWS[name].portalMode === mode) as PortalOperation | undefined;
}

/** The row of a native command: whose PIN `jpki-bridge run` asks for. */
export function operationOfCommand(command: NativeCommand): Operation {
  return Object.values(OPERATION_ROWS).find((row) => row.native === command)!;
}
