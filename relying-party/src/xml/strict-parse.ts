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
