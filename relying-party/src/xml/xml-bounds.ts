/**
 * Bounds checked on the text before any parser sees it: the DOM parser and the canonicalizer cost
 * tens of microseconds per node, so an unauthenticated document must be small before the work
 * starts. One linear pass over the string, no allocation per element. The figures (and why) are in
 * docs/xml-signature.md.
 */

export interface XmlLimits {
  /** UTF-8 bytes of the whole document. */
  maxBytes: number;
  /** Element nesting, the document element counting 1. */
  maxDepth: number;
  /** Elements in the document, the Signature's own included. */
  maxElements: number;
  /** Attributes on one element, namespace declarations included. */
  maxAttributesPerElement: number;
  /** Attributes in the document, namespace declarations included. */
  maxAttributes: number;
  /** Namespace declarations (`xmlns`, `xmlns:p`) on one element. */
  maxNamespaceDeclarationsPerElement: number;
  /**
   * Namespace declarations in the document. xml-crypto's canonicalizers copy and search the list
   * of in-scope namespaces for every node and every prefixed name, so their cost grows with this
   * figure times the document's size.
   */
  maxNamespaceDeclarations: number;
}

export const XML_LIMITS: Readonly<XmlLimits> = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxElements: 20_000,
  maxAttributesPerElement: 64,
  maxAttributes: 20_000,
  maxNamespaceDeclarationsPerElement: 32,
  maxNamespaceDeclarations: 128,
};

/**
 * Why `xml` is out of bounds (`partialLimits` over XML_LIMITS), or null. Also refuses any `<!…>` declaration other than a comment
 * or CDATA section — a DOCTYPE (and with it every entity) never reaches the parser. The scan is
 * exact for well-formed XML (quoted attribute values may hold `>`; nothing else may hold `<`);
 * on malformed input it may count differently, and the strict parser then refuses the document.
 */
export function xmlBoundsProblem(xml: string, partialLimits: Partial<XmlLimits> = {}): string | null {
  const limits: XmlLimits = { ...XML_LIMITS, ...partialLimits };
  // A UTF-16 unit is at least one UTF-8 byte: the cheap test first.
  if (xml.length > limits.maxBytes || Buffer.byteLength(xml, 'utf8') > limits.maxBytes) {
    return `the document is larger than ${limits.maxBytes} bytes`;
  }
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let declarations = 0;
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i)) {
    const next = xml.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', i)) i = skipPast(xml, '-->', i + 4);
      else if (xml.startsWith('<![CDATA[', i)) i = skipPast(xml, ']]>', i + 9);
      else return 'the document has a DOCTYPE or another declaration';
    } else if (next === 0x3f /* ? */) {
      i = skipPast(xml, '?>', i + 2);
    } else if (next === 0x2f /* / */) {
      depth--;
      i += 2;
    } else {
      if (++elements > limits.maxElements) return `the document has more than ${limits.maxElements} elements`;
      if (++depth > limits.maxDepth) return `the document nests elements deeper than ${limits.maxDepth}`;
      const end = scanStartTag(xml, i + 1);
      if (tag.attributes > limits.maxAttributesPerElement) return `an element has more than ${limits.maxAttributesPerElement} attributes`;
      if (tag.declarations > limits.maxNamespaceDeclarationsPerElement) {
        return `an element has more than ${limits.maxNamespaceDeclarationsPerElement} namespace declarations`;
      }
      if ((attributes += tag.attributes) > limits.maxAttributes) return `the document has more than ${limits.maxAttributes} attributes`;
      if ((declarations += tag.declarations) > limits.maxNamespaceDeclarations) {
        return `the document has more than ${limits.maxNamespaceDeclarations} namespace declarations`;
      }
      if (xml.charCodeAt(end - 1) === 0x2f /* / */) depth--; // <empty/>
      i = end;
    }
    if (i < 0) break; // unterminated: the parser will say so
  }
  return null;
}

function skipPast(xml: string, terminator: string, from: number): number {
  const at = xml.indexOf(terminator, from);
  return at === -1 ? -1 : at + terminator.length;
}

/** What scanStartTag counted in the last start tag (one object, reused: no allocation per element). */
const tag = { attributes: 0, declarations: 0 };

/**
 * Index of the `>` closing the start tag that begins before `from` (quoted values skipped), or -1;
 * counts its attributes (one `=` outside quotes each) and, among them, namespace declarations
 * (named `xmlns` or `xmlns:…`) into `tag`.
 */
function scanStartTag(xml: string, from: number): number {
  tag.attributes = 0;
  tag.declarations = 0;
  let quote = 0;
  for (let j = from; j < xml.length; j++) {
    const c = xml.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3d /* = */) {
      tag.attributes++;
      if (isNamespaceDeclarationBefore(xml, j, from)) tag.declarations++;
    } else if (c === 0x3e /* > */) {
      return j;
    }
  }
  return -1;
}

/** Whether the attribute name ending before the `=` at `at` (spaces allowed between) is `xmlns` or `xmlns:…`. */
function isNamespaceDeclarationBefore(xml: string, at: number, tagStart: number): boolean {
  let end = at;
  while (end > tagStart && isSpace(xml.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > tagStart && !isSpace(xml.charCodeAt(start - 1))) start--;
  return xml.startsWith('xmlns', start) && (end - start === 5 || xml.charCodeAt(start + 5) === 0x3a) /* : */;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
