// proxy-from-env ships no types (and @types/proxy-from-env is not installed): the one function tinydata calls.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from the *_proxy variables, or '' for a direct connection (none set, or no_proxy). */
  export function getProxyForUrl(url: string | URL | {protocol: string; host: string; port: string}): string
}
