/**
 * `npm start`: the site on http://localhost:3000, for real cards (the J-LIS roots). With
 * JPKI_VIRTUAL_CARD=card.json (made by `npx jpki-bridge virtual-card create --state card.json`)
 * it trusts that virtual card's development CA instead — for development only.
 */
import { readFileSync } from 'node:fs';
import { startSite } from './site.js';

const card = process.env.JPKI_VIRTUAL_CARD ? JSON.parse(readFileSync(process.env.JPKI_VIRTUAL_CARD, 'utf8')) : null;
// The state file keeps its CA certificates as base64 DER.
const developmentCa = card && ['auth', 'sign'].map((kind) => `-----BEGIN CERTIFICATE-----\n${card.ca[kind].certificate}\n-----END CERTIFICATE-----\n`).join('');
const site = await startSite({ port: Number(process.env.PORT ?? 3000), developmentCa });
console.log(`listening on ${site.url}`);
