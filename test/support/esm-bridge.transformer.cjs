// Jest transform for CommonJS packages that require() Nest's ES-module-only packages
// (@nestjs/throttler requires @nestjs/common and @nestjs/core). Node 20 allows require(esm);
// Jest's module loader does so only on Node 24.9+ (https://jestjs.io/docs/ecmascript-modules).
// Compiling Nest to CommonJS instead would load a second @nestjs/common, breaking
// `instanceof HttpException` and Reflector as an injection token; so the require() calls are
// pointed at the ES modules the test already loaded, which esm-bridge.setup.ts publishes.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

const BRIDGED = /\brequire\((["'])(@nestjs\/(?:common|core))\1\)/g;
const OWN_SOURCE = readFileSync(__filename);

module.exports = {
  process(source) {
    return {
      code: source.replace(BRIDGED, (_call, _quote, name) => {
        return `globalThis.__jestEsmBridge[${JSON.stringify(name)}]`;
      }),
    };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update(OWN_SOURCE).update(path).update(source).digest('hex');
  },
};
