/** Which server a session talks to: MariaDB and MySQL differ in their catalogs (see catalog.ts). */
export interface ServerInfo {
  flavor: 'mariadb' | 'mysql';
  /** major, minor, patch */
  version: readonly [number, number, number];
  /** `MariaDB 10.11.19`, `MySQL 8.0.36`: for health reports and the model's source. */
  label: string;
}

/**
 * Reads VERSION(): MariaDB says `10.11.19-MariaDB-0+deb12u1` (behind some proxies `5.5.5-10.11.19-MariaDB`),
 * MySQL `8.0.36` or `8.4.0-log`.
 */
export function serverInfo(versionText: string): ServerInfo {
  const flavor = /mariadb/i.test(versionText) ? 'mariadb' : 'mysql';
  const numbers = versionText.replace(/^5\.5\.5-(?=\d+\.\d+\.\d+-MariaDB)/i, '');
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(numbers);
  const version = m ? ([Number(m[1]), Number(m[2]), Number(m[3])] as const) : ([0, 0, 0] as const);
  return { flavor, version, label: `${flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${version.join('.')}` };
}

/** The server is at least this version (of its own flavor's numbering). */
export function atLeast(server: ServerInfo, major: number, minor: number, patch = 0): boolean {
  const [a, b, c] = server.version;
  return a !== major ? a > major : b !== minor ? b > minor : c >= patch;
}
