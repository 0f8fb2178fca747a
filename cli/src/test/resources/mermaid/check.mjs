// Parses Mermaid diagrams with Mermaid itself (in jsdom): node check.mjs MERMAID_HOME FILE...
// MERMAID_HOME is a folder where `npm install mermaid jsdom` ran (.ci/install-test-deps.sh).
// Prints "ok FILE" or "error FILE: message" per file; exits 1 when any diagram does not parse.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [home, ...files] = process.argv.slice(2);
const require = createRequire(join(home, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaidEntry = require.resolve('mermaid').replace(/mermaid\.js$|mermaid\.min\.js$|mermaid\.core\.mjs$/, 'mermaid.core.mjs');
const { default: mermaid } = await import(pathToFileURL(mermaidEntry).href);
mermaid.initialize({ startOnLoad: false });
let bad = 0;
for (const f of files) {
  try {
    await mermaid.parse(readFileSync(f, 'utf8'));
    console.log('ok ' + f);
  } catch (e) {
    bad++;
    console.log('error ' + f + ': ' + String(e.message || e).split('\n').slice(0, 4).join(' '));
  }
}
process.exit(bad ? 1 : 0);
