// Jest runs CommonJS; NestJS 12 packages ship ES modules only (Node >= 20.19 loads them with
// require(esm), jest's module system cannot). This transformer compiles our TypeScript and those
// ES-module packages to CommonJS with swc. `import.meta` has no CommonJS form, so its few uses
// (createRequire(import.meta.url), import.meta.dirname) are rewritten first.
const { transformSync } = require('@swc/core');
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

const SELF = createHash('sha1').update(readFileSync(__filename)).digest('hex');

const options = (filename) => ({
  filename,
  sourceMaps: 'inline',
  jsc: {
    parser: filename.endsWith('.ts') ? { syntax: 'typescript', decorators: true } : { syntax: 'ecmascript' },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs', ignoreDynamic: false },
});

module.exports = {
  process(source, filename) {
    const code = source
      // In CommonJS `require` already exists; redeclaring it would shadow swc's own require calls.
      .replace(/^\s*const require = createRequire\(import\.meta\.url\);?\s*$/m, '')
      .replace(/import\.meta\.resolve\(/g, 'require.resolve(')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
      .replace(/import\.meta\.dirname/g, '__dirname')
      .replace(/import\.meta\.filename/g, '__filename');
    return transformSync(code, options(filename));
  },
  getCacheKey(source, filename) {
    return createHash('sha1').update(SELF).update(filename).update(source).digest('hex');
  },
};
