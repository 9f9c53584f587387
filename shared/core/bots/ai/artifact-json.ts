// JSON text laid out the way the repo's formatter (Biome, 2 spaces, 110 columns) lays it out, so a
// freshly trained artifact is already formatted: retraining gives a clean diff and `npm run lint` passes.

const WIDTH = 110;

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

function scalar(value: null | boolean | number | string): string {
  return JSON.stringify(value);
}

function isScalar(value: Json): value is null | boolean | number | string {
  return value === null || typeof value !== 'object';
}

/** Numbers are packed as many to a line as fit (Biome's "fill"); anything else is one per line. */
function array(items: readonly Json[], indent: string, prefix: string, suffix: string): string {
  if (items.length === 0) return `${indent}${prefix}[]${suffix}`;
  if (items.every(isScalar)) {
    const texts = items.map(scalar);
    const inline = `${indent}${prefix}[${texts.join(', ')}]${suffix}`;
    if (inline.length <= WIDTH) return inline;
    const inner = `${indent}  `;
    if (items.every((v) => typeof v === 'number')) {
      const lines: string[] = [];
      let line = '';
      texts.forEach((text, i) => {
        const piece = i < texts.length - 1 ? `${text},` : text;
        if (line === '') line = inner + piece;
        else if (line.length + 1 + piece.length <= WIDTH) line += ` ${piece}`;
        else {
          lines.push(line);
          line = inner + piece;
        }
      });
      lines.push(line);
      return `${indent}${prefix}[\n${lines.join('\n')}\n${indent}]${suffix}`;
    }
    const lines = texts.map((t, i) => `${inner}${t}${i < texts.length - 1 ? ',' : ''}`);
    return `${indent}${prefix}[\n${lines.join('\n')}\n${indent}]${suffix}`;
  }
  const lines = items.map((item, i) => node(item, `${indent}  `, '', i < items.length - 1 ? ',' : ''));
  return `${indent}${prefix}[\n${lines.join('\n')}\n${indent}]${suffix}`;
}

function node(value: Json, indent: string, prefix: string, suffix: string): string {
  if (isScalar(value)) return `${indent}${prefix}${scalar(value)}${suffix}`;
  if (Array.isArray(value)) return array(value, indent, prefix, suffix);
  // Objects stay one key per line, as written (Biome keeps an object broken when its source is).
  const entries = Object.entries(value as { readonly [key: string]: Json });
  if (entries.length === 0) return `${indent}${prefix}{}${suffix}`;
  const lines = entries.map(([key, v], i) =>
    node(v, `${indent}  `, `${JSON.stringify(key)}: `, i < entries.length - 1 ? ',' : ''),
  );
  return `${indent}${prefix}{\n${lines.join('\n')}\n${indent}}${suffix}`;
}

/** The text of a JSON value (no undefined, no NaN: those are not JSON), with a final newline. */
export function formatJson(value: Json): string {
  return `${node(value, '', '', '')}\n`;
}
