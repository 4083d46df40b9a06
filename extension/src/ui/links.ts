/** The project's public documents the extension's pages link to (where the project publishes its docs/). */
import { APP_VERSION_PREFIX } from '@jpki-bridge/shared/constants';

export const GUIDE_URL = `${APP_VERSION_PREFIX}blob/main/docs/guide-residents.md`;
export const PRIVACY_POLICY_URL = `${APP_VERSION_PREFIX}blob/main/docs/privacy-policy.md`;
