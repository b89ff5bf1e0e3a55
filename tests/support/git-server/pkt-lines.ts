/**
 * Reads the command of a protocol v2 request body (pkt-lines): which command (`ls-refs`,
 * `fetch`) and its `ref-prefix` arguments, so a test can see whether a read was filtered by
 * the server or advertised every ref. Anything unreadable yields null: it is only counted.
 */
import { gunzipSync } from 'node:zlib';

export interface V2Command {
  command: string;
  refPrefixes: string[];
}

function lines(body: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at + 4 <= body.length; ) {
    const length = Number.parseInt(body.subarray(at, at + 4).toString('latin1'), 16);
    if (Number.isNaN(length)) break;
    if (length < 4) {
      at += 4; // flush (0000), delimiter (0001), response end (0002)
      continue;
    }
    out.push(
      body
        .subarray(at + 4, at + length)
        .toString('utf8')
        .replace(/\n$/, ''),
    );
    at += length;
  }
  return out;
}

/** The v2 command in `body` (inflated first when `encoding` is gzip), or null. */
export function v2CommandOf(body: Buffer, encoding: string | undefined): V2Command | null {
  let raw: Buffer;
  try {
    raw = /gzip/i.test(encoding ?? '') ? gunzipSync(body) : body;
  } catch {
    return null;
  }
  const all = lines(raw);
  const command = all.find((l) => l.startsWith('command='))?.slice('command='.length);
  if (command === undefined) return null;
  const refPrefixes = all
    .filter((l) => l.startsWith('ref-prefix '))
    .map((l) => l.slice('ref-prefix '.length));
  return { command, refPrefixes };
}
