/**
 * Every command module, as one file in dist/ that activate() loads the first time any command runs. One
 * import for all of them, rather than one per module, keeps the startup files few: esbuild makes a shared
 * file for each set of import() targets that use a module.
 */
export { registerBrowseCommands } from './browse';
export { registerCodegenCommands } from './codegen';
export { registerConnectionCommands } from './connections';
export { registerHealthCommands } from './health';
export { registerProviderCommands } from './providers';
export { forgetRestConnection } from './restConnections';
export { registerOverrideCommands } from '../overrides/commands';
export { registerWebviews } from '../webview';
