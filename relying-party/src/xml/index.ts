export * from './xml-signature.ts';
export * from './etax-document.ts';
