/**
 * Copies an agent's log file to the terminal: its text is untrusted (an agent can print any
 * escape sequence), so every chunk goes through terminal-safe; a UTF-8 character cut between
 * two reads is decoded whole.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { terminalText } from './terminal-safe.js';

const CHUNK = 64 * 1024;

export class LogCopy {
  private offset = 0;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly path: string,
    /** Takes the text; false when the reader has gone (a closed pipe): stop copying. */
    private readonly write: (text: string) => boolean,
  ) {}

  /** Copies what was appended since the last call. */
  copyNew(): 'copied' | 'absent' | 'stopped' {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return 'absent'; // not there (yet)
    }
    try {
      const buffer = Buffer.alloc(CHUNK);
      for (;;) {
        const n = readSync(fd, buffer, 0, CHUNK, this.offset);
        if (n === 0) return 'copied';
        this.offset += n;
        const text = terminalText(this.decoder.write(buffer.subarray(0, n)));
        if (text && !this.write(text)) return 'stopped';
      }
    } finally {
      closeSync(fd);
    }
  }
}
