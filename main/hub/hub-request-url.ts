/**
 * Where a replication request may go: under the hub's base URL, into one of
 * this clinic's databases, and nowhere else, since the request carries this
 * workstation's credentials.
 *
 * The check is made on the URL as the HTTP client will resolve it, not on the
 * string the page sent: the URL parser turns `%2e%2e`, `.%2e` and `\` into
 * `..` and `/`, so a path that looks harmless as text (`/<db>/.%2e/.%2e/x`)
 * can resolve to a sibling of the hub's path on the same host. An encoded
 * slash (`%2f`) left in the resolved path is refused too: a server may decode
 * it into a path separator after our check.
 */
export function resolveHubRequestUrl(hubUrl: string, databases: readonly string[], path: string): URL | undefined {
  if (!path.startsWith('/') || path.startsWith('//')) return undefined;
  let base: URL;
  let url: URL;
  try {
    base = new URL(hubUrl);
    url = new URL(path.slice(1), base.href.endsWith('/') ? base.href : `${base.href}/`);
  } catch {
    return undefined;
  }
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  if (url.origin !== base.origin || url.username !== '' || url.password !== '' || !url.pathname.startsWith(basePath)) return undefined;
  if (/%2f|%5c/i.test(url.pathname)) return undefined;
  const [database, ...rest] = url.pathname.slice(basePath.length).split('/');
  if (database === undefined || !databases.includes(database)) return undefined;
  // Resolved paths hold no dot segments; one left here was encoded some other way.
  if (rest.some((segment) => segment === '.' || segment === '..' || /^(\.|%2e)+$/i.test(segment))) return undefined;
  url.hash = '';
  return url;
}
