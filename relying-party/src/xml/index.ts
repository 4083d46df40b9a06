export * from './algorithms.ts';
export * from './xml-bounds.ts';
export * from './strict-parse.ts';
export * from './xml-signature.ts';
export * from './xml-verify.ts';
export * from './etax-document.ts';
export * from './canonicalize.ts';
