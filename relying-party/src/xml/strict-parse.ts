/**
 * xmldom, made strict: xmldom recovers from many faults with a warning (an unquoted attribute, a
 * stray end-tag character, a misplaced DOCTYPE…), and what it recovers to may differ from what
 * another parser reads out of the same bytes. A signed document is read one way or refused.
 */
import { DOMParser } from '@xmldom/xmldom';

export class XmlParseError extends Error {}

/** Parses `xml`, throwing XmlParseError on any fatal error, error or warning, or a DOCTYPE. */
export function parseStrictXml(xml: string): Document {
  let document: Document;
  let first: string | null = null; // xmldom wraps what onError throws; keep the report itself
  try {
    const parser = new DOMParser({
      onError: (level: string, message: string) => {
        first ??= `${level}: ${message}`;
        throw new XmlParseError(first);
      },
    });
    document = parser.parseFromString(xml, 'text/xml') as unknown as Document;
  } catch (error) {
    throw new XmlParseError(first ?? (error as Error).message);
  }
  if (document.doctype) throw new XmlParseError('a DOCTYPE is not accepted');
  if (!document.documentElement) throw new XmlParseError('no document element');
  return document;
}

/**
 * Why `document` holds what no signed document needs and a reader might take for content: a processing
 * instruction anywhere (xml-crypto's canonicalizers render its text as character data, so
 * `<a>1<?x 2?></a>` digests as `<a>12</a>`), and at the top level anything but the document element,
 * whitespace and a leading XML declaration (comments included: they are not signed). One walk, no recursion.
 */
export function foreignContentProblem(document: Document): string | null {
  for (let node = document.firstChild; node; node = node.nextSibling) {
    if (node === document.documentElement) continue;
    if (node.nodeType === 7 && node === document.firstChild && (node as ProcessingInstruction).target === 'xml') continue;
    if (node.nodeType === 3 && /^[\t\n\r ]*$/.test((node as Text).data)) continue;
    return 'the document has content outside its document element (a comment, processing instruction or text)';
  }
  const root = document.documentElement!;
  for (let node: Node | null = root; node; node = nextInDocumentOrder(node, root)) {
    if (node.nodeType === 7) return 'the document has a processing instruction';
  }
  return null;
}

/** The node after `node` in document order, within `root`'s subtree, or null. */
function nextInDocumentOrder(node: Node, root: Node): Node | null {
  if (node.firstChild) return node.firstChild;
  for (let at: Node | null = node; at && at !== root; at = at.parentNode) {
    if (at.nextSibling) return at.nextSibling;
  }
  return null;
}
