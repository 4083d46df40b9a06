/**
 * Error codes (the table in docs/PROTOCOL.md). APPEND ONLY: never rename, reorder or remove a code — pages,
 * the extension and the host of different versions exchange them as strings.
 */
export const ERROR_CODES = [
  'ERR_JPKI_INVALID_REQUEST',
  'ERR_JPKI_UNKNOWN_COMMAND',
  'ERR_JPKI_MESSAGE_TOO_LARGE',
  'ERR_JPKI_INVALID_ORIGIN',
  'ERR_JPKI_ORIGIN_NOT_ALLOWED',
  'ERR_JPKI_CONTEXT_INSECURE',
  'ERR_JPKI_INVALID_NONCE',
  'ERR_JPKI_INVALID_HASH',
  'ERR_JPKI_PIN_FORMAT',
  'ERR_JPKI_PIN_INCORRECT',
  'ERR_JPKI_PIN_LAST_TRY',
  'ERR_JPKI_PIN_LOCKED',
  'ERR_JPKI_PCSC_UNAVAILABLE',
  'ERR_JPKI_NO_READER',
  'ERR_JPKI_NO_CARD',
  'ERR_JPKI_CARD_REMOVED',
  'ERR_JPKI_CARD_BUSY',
  'ERR_JPKI_NOT_JPKI_CARD',
  'ERR_JPKI_CARD_ERROR',
  'ERR_JPKI_NO_SIGNING_CERTIFICATE',
  'ERR_JPKI_CERTIFICATE_EXPIRED',
  'ERR_JPKI_CERTIFICATE_MISMATCH',
  'ERR_JPKI_USER_CANCELLED',
  'ERR_JPKI_USER_TIMEOUT',
  'ERR_JPKI_ACTION_PENDING',
  'ERR_JPKI_EXTENSION_UNAVAILABLE',
  'ERR_JPKI_NATIVE_UNAVAILABLE',
  'ERR_JPKI_VERSION_MISMATCH',
  'ERR_JPKI_UNKNOWN',
  'ERR_JPKI_USER_ACTIVATION_REQUIRED',
  'ERR_JPKI_RATE_LIMITED',
  'ERR_JPKI_TAB_NOT_IN_FRONT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** User-facing messages, Japanese first. The dialog and the page library show these. */
export const ERROR_MESSAGES: Record<ErrorCode, { ja: string; en: string }> = {
  ERR_JPKI_INVALID_REQUEST: { ja: '要求の形式が正しくありません。', en: 'The request is malformed.' },
  ERR_JPKI_UNKNOWN_COMMAND: { ja: '不明な操作です。', en: 'Unknown command.' },
  ERR_JPKI_MESSAGE_TOO_LARGE: { ja: 'メッセージが大きすぎます。', en: 'The message is too large.' },
  ERR_JPKI_INVALID_ORIGIN: { ja: '要求元のオリジンが正しくありません。', en: 'The requesting origin is invalid.' },
  ERR_JPKI_ORIGIN_NOT_ALLOWED: {
    ja: 'このサイトからの要求は許可されていません。',
    en: 'Requests from this site are not allowed.',
  },
  ERR_JPKI_CONTEXT_INSECURE: {
    ja: '安全でない接続 (https 以外) からは利用できません。',
    en: 'Not available from an insecure (non-https) context.',
  },
  ERR_JPKI_INVALID_NONCE: { ja: 'チャレンジ (nonce) が正しくありません。', en: 'The challenge nonce is invalid.' },
  ERR_JPKI_INVALID_HASH: { ja: 'ハッシュ値が正しくありません。', en: 'The hash is invalid.' },
  ERR_JPKI_PIN_FORMAT: {
    ja: '暗証番号の形式が正しくありません。カードには送信していません。',
    en: 'The PIN has the wrong format. It was not sent to the card.',
  },
  ERR_JPKI_PIN_INCORRECT: { ja: '暗証番号が違います。', en: 'The PIN is incorrect.' },
  ERR_JPKI_PIN_LAST_TRY: {
    ja: '残り1回です。間違えるとロックされます。',
    en: 'One try left: another miss locks the PIN.',
  },
  ERR_JPKI_PIN_LOCKED: {
    ja: '暗証番号がロックされています。本人確認書類を持って市区町村の窓口で初期化してください。',
    en: 'The PIN is locked. It can only be reset at your municipal office, with ID.',
  },
  ERR_JPKI_PCSC_UNAVAILABLE: {
    ja: 'スマートカードサービス (pcscd) に接続できません。',
    en: 'The smart card service (pcscd) is not available.',
  },
  ERR_JPKI_NO_READER: { ja: 'カードリーダーが見つかりません。', en: 'No card reader was found.' },
  ERR_JPKI_NO_CARD: {
    ja: 'マイナンバーカードがリーダーにありません。',
    en: 'No My Number card is in the reader.',
  },
  ERR_JPKI_CARD_REMOVED: {
    ja: '処理中にカードが取り外されました。',
    en: 'The card was removed during the operation.',
  },
  ERR_JPKI_CARD_BUSY: {
    ja: 'カードは別の処理で使用中です。',
    en: 'The card is in use by another operation.',
  },
  ERR_JPKI_NOT_JPKI_CARD: {
    ja: 'マイナンバーカード (公的個人認証) ではありません。',
    en: 'This is not a My Number (JPKI) card.',
  },
  ERR_JPKI_CARD_ERROR: { ja: 'カードとの通信でエラーが発生しました。', en: 'The card reported an error.' },
  ERR_JPKI_NO_SIGNING_CERTIFICATE: {
    ja: 'このカードには署名用電子証明書がありません。',
    en: 'This card has no signing certificate.',
  },
  ERR_JPKI_CERTIFICATE_EXPIRED: {
    ja: '電子証明書の有効期限が切れています。市区町村の窓口で更新してください。',
    en: 'The certificate has expired. Renew it at your municipal office.',
  },
  ERR_JPKI_CERTIFICATE_MISMATCH: {
    ja: 'カードの証明書が要求された証明書と一致しません。署名は行っていません。',
    en: 'The card’s certificate does not match the requested one. Nothing was signed.',
  },
  ERR_JPKI_USER_CANCELLED: { ja: '操作が取り消されました。', en: 'The operation was cancelled.' },
  ERR_JPKI_USER_TIMEOUT: { ja: '時間切れになりました。', en: 'The operation timed out.' },
  ERR_JPKI_ACTION_PENDING: {
    ja: '別の操作が進行中です。完了してから再度お試しください。',
    en: 'Another operation is in progress. Try again when it is finished.',
  },
  ERR_JPKI_EXTENSION_UNAVAILABLE: {
    ja: 'jpki-bridge 拡張機能が見つかりません。',
    en: 'The jpki-bridge extension is not available.',
  },
  ERR_JPKI_NATIVE_UNAVAILABLE: {
    // No markup: shown as plain text. The extension cannot tell how the host was installed, so both ways.
    ja: 'jpki-bridge ホストアプリが見つかりません。Debian・Ubuntu では sudo apt install jpki-bridge (または .deb ファイル)、npm で入れた場合は jpki-bridge install を実行し、jpki-bridge doctor で確認してください。手順: https://github.com/jpki-bridge/jpki-bridge/blob/main/docs/guide-residents.md',
    en: 'The jpki-bridge host is not installed. On Debian or Ubuntu, run sudo apt install jpki-bridge (or install the .deb file); if you installed it with npm, run jpki-bridge install. Then check with jpki-bridge doctor. Guide: https://github.com/jpki-bridge/jpki-bridge/blob/main/docs/guide-residents.md',
  },
  ERR_JPKI_VERSION_MISMATCH: {
    ja: '拡張機能とホストアプリのバージョンが合いません。',
    en: 'The extension and the host versions do not match.',
  },
  ERR_JPKI_UNKNOWN: { ja: '予期しないエラーが発生しました。', en: 'An unexpected error occurred.' },
  ERR_JPKI_USER_ACTIVATION_REQUIRED: {
    ja: 'ページでの操作 (クリックやキー入力) の直後にだけ、暗証番号の入力を求められます。',
    en: 'A PIN can only be asked for right after you act on the page (a click or a key press).',
  },
  ERR_JPKI_RATE_LIMITED: {
    ja: 'このサイトからの暗証番号の要求が多すぎます。しばらく待ってから再度お試しください。',
    en: 'This site has asked for your PIN too often. Wait a minute and try again.',
  },
  ERR_JPKI_TAB_NOT_IN_FRONT: {
    ja: 'このタブが前面にある (フォーカスされたウィンドウの表示中のタブである) ときだけ、暗証番号の入力を求められます。',
    en: 'A PIN can only be asked for by the tab in front (the shown tab of the focused window).',
  },
};

/** The wire form of an error, on every hop (host reply, background → content → page). */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  retriesLeft?: number;
}

/** A typed error. Rebuilt from its wire form on the far side of every hop. */
export class JpkiError extends Error {
  readonly code: ErrorCode;
  readonly retriesLeft: number | undefined;

  constructor(code: ErrorCode, message?: string, retriesLeft?: number) {
    super(message ?? ERROR_MESSAGES[code].en);
    this.name = 'JpkiError';
    this.code = code;
    this.retriesLeft = retriesLeft;
  }

  toJSON(): SerializedError {
    const out: SerializedError = { code: this.code, message: this.message };
    if (this.retriesLeft !== undefined) out.retriesLeft = this.retriesLeft;
    return out;
  }
}

/** Anything thrown → the wire form. Unknown errors become ERR_JPKI_UNKNOWN without their stack. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof JpkiError) return error.toJSON();
  return { code: 'ERR_JPKI_UNKNOWN', message: ERROR_MESSAGES.ERR_JPKI_UNKNOWN.en };
}

/** The wire form (from an untrusted peer) → a typed error; garbage becomes ERR_JPKI_UNKNOWN. */
export function deserializeError(value: unknown): JpkiError {
  if (typeof value !== 'object' || value === null) return new JpkiError('ERR_JPKI_UNKNOWN');
  const { code, message, retriesLeft } = value as Record<string, unknown>;
  if (!isErrorCode(code)) return new JpkiError('ERR_JPKI_UNKNOWN');
  return new JpkiError(
    code,
    typeof message === 'string' ? message.slice(0, 500) : undefined,
    typeof retriesLeft === 'number' && Number.isInteger(retriesLeft) && retriesLeft >= 0 ? retriesLeft : undefined,
  );
}
