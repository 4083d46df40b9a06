import { describe, expect, it } from 'vitest';
import { xmlBoundsProblem } from '../../relying-party/src/xml/xml-bounds.ts';
import type { XmlLimits } from '../../relying-party/src/index.ts';

const small: Partial<XmlLimits> = { maxBytes: 1000, maxDepth: 3, maxElements: 5 };

describe('XML bounds, checked on the text before parsing', () => {
  it('admits a document exactly at the depth and element limits', () => {
    expect(xmlBoundsProblem('<a><b><c/></b><d/><e/></a>', small)).toBeNull();
  });

  it('refuses one level deeper than the limit', () => {
    expect(xmlBoundsProblem('<a><b><c><d/></c></b></a>', small)).toMatch(/deeper than 3/);
  });

  it('refuses one element more than the limit', () => {
    expect(xmlBoundsProblem('<a><b/><c/><d/><e/><f/></a>', small)).toMatch(/more than 5 elements/);
  });

  it('counts empty elements as closed, so siblings do not add depth', () => {
    expect(xmlBoundsProblem(`<a>${'<i/>'.repeat(4)}</a>`, small)).toBeNull();
    expect(xmlBoundsProblem(`<a>${'<i x="1" />'.repeat(4)}</a>`, small)).toBeNull();
  });

  it('does not count markup inside comments, CDATA sections, processing instructions or quoted attribute values', () => {
    const xml = '<?xml version="1.0"?><a t="x > <b/>"><!-- <b><c><d> --><![CDATA[<b><c><d>]]><?pi <b><c><d>?><b/></a>';
    expect(xmlBoundsProblem(xml, small)).toBeNull();
  });

  it('refuses a DOCTYPE and any other declaration', () => {
    expect(xmlBoundsProblem('<!DOCTYPE a><a/>', small)).toMatch(/DOCTYPE/);
    expect(xmlBoundsProblem('<a><!ENTITY x "y"></a>', small)).toMatch(/DOCTYPE/);
  });

  it('measures the size in UTF-8 bytes, not characters', () => {
    const text = 'あ'.repeat(300); // 300 characters, 900 bytes
    expect(xmlBoundsProblem(`<a>${text}</a>`, small)).toBeNull();
    expect(xmlBoundsProblem(`<a>${text}${'い'.repeat(34)}</a>`, small)).toMatch(/larger than 1000 bytes/);
  });

  it('counts attributes and namespace declarations per element and in the whole document (issue 19 finding 1)', () => {
    const limits: Partial<XmlLimits> = { maxAttributesPerElement: 3, maxAttributes: 5, maxNamespaceDeclarationsPerElement: 2, maxNamespaceDeclarations: 3 };
    expect(xmlBoundsProblem('<a xmlns="u:a" xmlns:p="u:p" p:x="1"><b y = "2" z=\'a=b\'/></a>', limits)).toBeNull();
    expect(xmlBoundsProblem('<a w="1" x="2" y="3" z="4"/>', limits)).toMatch(/an element has more than 3 attributes/);
    expect(xmlBoundsProblem('<a x="1" y="2"><b x="1" y="2"/><c x="1" y="2"/></a>', limits)).toMatch(/document has more than 5 attributes/);
    expect(xmlBoundsProblem('<a xmlns="u:a" xmlns:p="u:p" xmlns:q="u:q"/>', limits)).toMatch(/an element has more than 2 namespace declarations/);
    expect(xmlBoundsProblem('<a xmlns:p="u:p"><b xmlns:q="u:q"/><c xmlns:r="u:r" xmlns:s="u:s"/></a>', limits)).toMatch(/more than 3 namespace declarations/);
    // `xmlnsx` is an attribute, not a declaration; `=` in a quoted value is no attribute.
    expect(xmlBoundsProblem('<a xmlnsx="1" xmlnsy="2" xmlnsz="3"/>', { maxNamespaceDeclarations: 0 })).toBeNull();
  });

  it('refuses a document element with 64 000 namespace declarations by default', () => {
    const flood = `<a ${Array.from({ length: 64_000 }, (_, i) => `xmlns:p${i.toString(36)}="u"`).join(' ')}/>`;
    expect(xmlBoundsProblem(flood)).toMatch(/more than 64 attributes/);
  });
});
