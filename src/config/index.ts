export { configModuleOptions } from './config.options.js';
export { Environment, NodeEnv, validateEnvironment } from './environment.js';
export type { LogLevelName } from './environment.js';
export { loadEnvironment } from './load-environment.js';
