/**
 * Credentials in URLs (`http://user:password@host/…`, `?access_token=…`) must never be
 * printed: not in errors, logs or doctor output. One helper for every place that prints one.
 * It also hides PEM private keys (a GitHub App's key quoted by an error or a config dump).
 */

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
/** A PEM private key block, with real newlines or with literal `\n` (a key pasted on one line). */
const PEM_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const SECRET_PARAMS = /([?&](?:access_token|token|client_secret|password|sig)=)[^&#\s"']+/gi;

/**
 * `text` — a URL, or a message or stack that may contain URLs — with every user name,
 * password and secret query parameter in it replaced by `***`, and every PEM private key
 * (to its end, or to the end of the text when cut short) by `[redacted private key]`.
 */
export function redactUrl(text: string): string {
  return text
    .replace(PEM_KEY, '[redacted $1private key]')
    .replace(USERINFO, '$1***@')
    .replace(SECRET_PARAMS, '$1***');
}
