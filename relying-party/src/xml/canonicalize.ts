/**
 * Canonicalization by xml-crypto's canonicalizers (so the bytes are those xml-crypto signs), with
 * the namespaces an element inherits computed here in one pass: xml-crypto's
 * `findAncestorNsForElement` removes duplicates with a search per declaration, quadratic in the
 * declarations in scope. The same rule, linear: nearest declaration of a prefix wins, undeclarations
 * (`xmlns=""`) are dropped, and so are the prefixes the element declares itself and its own prefix
 * (C14N renders those on the element anyway).
 *
 * For a Reference to one element by Id (an internal-detached layout) use `canonicalizeElement`:
 * inclusive C14N carries the ancestors' namespaces into the subtree, exclusive C14N does not.
 */
import { C14nCanonicalization, ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { C14N, EXC_C14N } from './algorithms.ts';

export interface InheritedNamespace {
  prefix: string;
  namespaceURI: string;
}

/** The namespace bindings `element` inherits from its ancestors, as xml-crypto's signer computes them. */
export function inheritedNamespaces(element: Element): InheritedNamespace[] {
  const own = new Set<string>([element.prefix ?? '']);
  for (const attribute of Array.from(element.attributes)) {
    const prefix = declaredPrefix(attribute.name);
    if (prefix !== null) own.add(prefix);
  }
  const seen = new Set<string>();
  const inherited: InheritedNamespace[] = [];
  for (let node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    for (const attribute of Array.from((node as Element).attributes)) {
      const prefix = declaredPrefix(attribute.name);
      if (prefix === null || seen.has(prefix)) continue;
      seen.add(prefix); // the nearest binding shadows the outer ones, undeclaration included
      if (attribute.value !== '' && !own.has(prefix)) inherited.push({ prefix, namespaceURI: attribute.value });
    }
  }
  return inherited;
}

/** `p` for `xmlns:p`, '' for `xmlns`, null for any other attribute name. */
function declaredPrefix(name: string): string | null {
  if (name === 'xmlns') return '';
  return name.startsWith('xmlns:') ? name.slice(6) : null;
}

/** `node` canonicalized by `algorithm` (EXC_C14N or C14N), with the options xml-crypto's SignedXml passes. */
export function canonicalize(algorithm: string, node: Element, ancestorNamespaces: InheritedNamespace[]): string {
  if (algorithm !== EXC_C14N && algorithm !== C14N) throw new Error(`canonicalization ${algorithm} is not accepted`);
  const canonicalizer = algorithm === EXC_C14N ? new ExclusiveCanonicalization() : new C14nCanonicalization();
  return String(canonicalizer.process(node, { ancestorNamespaces, defaultNsForPrefix: SignedXml.defaultNsForPrefix }));
}

/**
 * One element of a parsed document, canonicalized as a same-document Reference to it is digested
 * (`URI="#id"`, or SignedInfo itself), its inherited namespaces included. The element is not changed.
 * The cost is linear in the subtree for documents inside XML_LIMITS (bounded declarations).
 */
export function canonicalizeElement(algorithm: string, element: Element): string {
  return canonicalize(algorithm, element, inheritedNamespaces(element));
}
