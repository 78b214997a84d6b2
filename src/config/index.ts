export { configModuleOptions } from './config.options.js';
export { Environment, NodeEnv, OCR_ENGINES, validateEnvironment } from './environment.js';
export type { LogLevelName, OcrEngineName } from './environment.js';
export { childProcessEnvironment } from './child-environment.js';
export { loadEnvironment } from './load-environment.js';
