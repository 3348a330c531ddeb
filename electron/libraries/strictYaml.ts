import YAML, { LineCounter, isMap, isScalar, isSeq, type Node } from 'yaml';
import { checkKey, member } from '../../shared/strictJson';

// Library files may be YAML: the same refusals as shared/strictJson.ts, for the same reasons.

/** YAML.parse, refusing duplicate and `__proto__` keys (DocumentKeyError) with the path; syntax errors are yaml's. */
export function parseStrictYaml(text: string): unknown {
  const lineCounter = new LineCounter();
  // uniqueKeys off: the walk below reports a duplicate with its path, which yaml's own error lacks.
  const doc = YAML.parseDocument(text, { uniqueKeys: false, prettyErrors: true, lineCounter });
  const [error] = doc.errors;
  if (error) throw error;
  const walk = (node: unknown, path: string): void => {
    if (isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        checkKey(keys, key, path, () => lineCounter.linePos(keyNode?.range?.[0] ?? 0).line);
        walk(pair.value, member(path, key));
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, `${path}[${i}]`));
    }
  };
  walk(doc.contents, '$');
  return doc.toJS();
}
