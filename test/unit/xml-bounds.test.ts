import { describe, expect, it } from 'vitest';
import { xmlBoundsProblem } from '../../relying-party/src/xml/xml-bounds.ts';
import { type XmlLimits } from '../../relying-party/src/index.ts';

const small: XmlLimits = { maxBytes: 1000, maxDepth: 3, maxElements: 5 };

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
});
