// The softphone page must not point at files that are not shipped: the server serves web/src/
// as it is, so a missing script or stylesheet is a broken page, found here instead of in a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const index = join(src, 'index.html');

/** The src of every <script> and the href of every <link> in the page. */
function references(html) {
  const found = [];
  for (const [, tag, attrs] of html.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const name = tag.toLowerCase() === 'script' ? 'src' : 'href';
    const value = attrs.match(new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
    if (value) found.push(value[1] ?? value[2] ?? value[3]);
  }
  return found;
}

/** A reference served by this server, as a path under src/; null for other origins and data: URLs. */
function local(reference) {
  if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(reference)) return null;
  const path = reference.split(/[?#]/)[0];
  // "/sdk/dialtone.js" is served from src/sdk/dialtone.js, as is "sdk/dialtone.js" from the page at /.
  return path.startsWith('/') ? join(src, path) : join(dirname(index), path);
}

test('every script and stylesheet index.html references exists', { skip: !existsSync(index) && 'no web/src/index.html yet' }, () => {
  const html = readFileSync(index, 'utf8');
  const missing = references(html).map((r) => [r, local(r)]).filter(([, path]) => path && !existsSync(path));
  assert.deepEqual(missing.map(([r]) => r), [], 'index.html references files that are not in web/src/');
});

test('the reference finder reads both attributes and quoting styles', () => {
  const html = `<link rel="stylesheet" href="softphone.css"><script type="module" src='/softphone.js'></script>
    <script src=sdk/x.js></script><link rel="icon" href="data:,">`;
  assert.deepEqual(references(html), ['softphone.css', '/softphone.js', 'sdk/x.js', 'data:,']);
  assert.equal(local('data:,'), null);
  assert.equal(local('https://cdn.example.com/x.js'), null);
  assert.equal(local('/sdk/dialtone.js?v=2'), join(src, 'sdk', 'dialtone.js'));
});
