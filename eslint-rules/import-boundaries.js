/**
 * Who may import whom (docs/ARCHITECTURE.md shows the same table as a picture). Each top-level
 * folder of src/ is a layer; an import that crosses into a layer not listed for its source is an
 * error, and so is a package the layer must not depend on (the domain stays free of DOM, storage,
 * network and Node; the kiosk never pulls in office code).
 */
import path from 'node:path';

export const LAYERS = {
  domain: {
    may: ['domain'],
    packagesDenied: [
      /^node:/,
      /^dexie/,
      /^preact/,
      /^hono/,
      /^@hono/,
      /^kysely/,
      /^pg$/,
      /^better-sqlite3/,
      /^workbox/,
    ],
  },
  data: {
    may: ['domain', 'data', 'workers'],
    packagesDenied: [/^node:/, /^hono/, /^@hono/, /^kysely/, /^pg$/, /^better-sqlite3/],
  },
  ui: { may: ['domain', 'ui'], packagesDenied: [/^node:/, /^dexie/, /^hono/, /^@hono/, /^kysely/] },
  kiosk: {
    may: ['domain', 'data', 'ui', 'kiosk', 'workers'],
    packagesDenied: [/^node:/, /^hono/, /^@hono/, /^kysely/],
  },
  office: {
    may: ['domain', 'data', 'ui', 'office'],
    packagesDenied: [/^node:/, /^hono/, /^@hono/, /^kysely/, /^dexie/],
  },
  workers: {
    may: ['domain', 'data', 'workers'],
    packagesDenied: [/^node:/, /^preact/, /^hono/, /^@hono/, /^kysely/],
  },
  sw: {
    may: ['domain', 'data', 'sw'],
    packagesDenied: [/^node:/, /^preact/, /^hono/, /^@hono/, /^kysely/],
  },
  server: { may: ['domain', 'server'], packagesDenied: [/^dexie/, /^preact/, /^workbox/] },
};

function layerOf(file) {
  const rel = path.relative(path.resolve('src'), file).split(path.sep);
  if (rel[0] === '..' || rel.length < 2) return null;
  return rel[0] in LAYERS ? rel[0] : null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the layer boundaries of src/ (docs/ARCHITECTURE.md)' },
    schema: [],
    messages: {
      layer: '{{from}} may not import from {{to}} (allowed: {{allowed}}); see docs/ARCHITECTURE.md',
      pkg: '{{from}} may not depend on "{{spec}}"; see docs/ARCHITECTURE.md',
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};
    const rule = LAYERS[from];
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const to = layerOf(path.resolve(path.dirname(file), spec));
        if (to && !rule.may.includes(to)) {
          context.report({
            node,
            messageId: 'layer',
            data: { from, to, allowed: rule.may.join(', ') },
          });
        }
      } else if (rule.packagesDenied.some((re) => re.test(spec))) {
        context.report({ node, messageId: 'pkg', data: { from, spec } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
