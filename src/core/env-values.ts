/**
 * Environment values reach `spawn`, which refuses any string holding a NUL byte — and some
 * come from issue titles and other people's text. A NUL can carry no meaning in an environment
 * variable (C strings end there), so it is dropped instead of failing every attempt.
 */
export function withoutNulBytes(env: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(env)) {
    if (value.includes('\0')) env[name] = value.replaceAll('\0', '');
  }
  return env;
}
