import pkg from '../../package.json';

/** Plugboard's own version, written into every generated file's header. */
export const PLUGBOARD_VERSION: string = pkg.version;
