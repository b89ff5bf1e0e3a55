/**
 * Credentials in URLs (`http://user:password@host/…`, `?access_token=…`) must never be
 * printed: not in errors, logs or doctor output. One helper for every place that prints one.
 */

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
const SECRET_PARAMS = /([?&](?:access_token|token|client_secret|password|sig)=)[^&#\s"']+/gi;

/**
 * `text` — a URL, or a message or stack that may contain URLs — with every user name,
 * password and secret query parameter in it replaced by `***`.
 */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, '$1***@').replace(SECRET_PARAMS, '$1***');
}
