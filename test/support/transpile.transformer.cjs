// Jest transform for the files that need no type information (all but the Swagger plugin's, see
// jest.config.js): TypeScript's own transpileModule, one file at a time, with the options of
// tsconfig.jest.json. It emits what `tsc` emits for the file, decorator metadata (design:paramtypes,
// read by Nest's dependency injection) included, without building a type-checked program;
// tsconfig.json's `isolatedModules` keeps every file compilable this way.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const TSCONFIG = join(__dirname, '..', '..', 'tsconfig.jest.json');
const { options } = ts.getParsedCommandLineOfConfigFile(
  TSCONFIG,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
// Jest reads the source map from the emitted code (stack traces point into the source file).
// Without outDir and rootDir the map names the source beside the code, where Jest runs it.
const shared = {
  ...options,
  outDir: undefined,
  rootDir: undefined,
  allowJs: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
};
/** ES modules where Jest loads the file as one, CommonJS where a CommonJS package require()s it. */
const compilerOptions = (supportsStaticESM) =>
  supportsStaticESM ? shared : { ...shared, module: ts.ModuleKind.CommonJS };
const CONFIG_KEY = JSON.stringify([readFileSync(__filename, 'utf8'), ts.version, shared]);

module.exports = {
  process(source, path, { supportsStaticESM }) {
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: compilerOptions(supportsStaticESM),
      fileName: path,
    });
    return { code: outputText };
  },
  getCacheKey(source, path, { supportsStaticESM }) {
    return createHash('sha256')
      .update(CONFIG_KEY)
      .update(String(supportsStaticESM))
      .update(path)
      .update(source)
      .digest('hex');
  },
};
