/**
 * Text from issues, comments, tasks and agents is untrusted: printed raw, an escape sequence in
 * a title can clear the screen, rewrite earlier lines, set the window title, plant a hyperlink
 * or (on some terminals) answer back as if typed. Everything such text passes through before a
 * terminal sees it goes through here: escape sequences (7- and 8-bit), C0 and C1 controls, DEL
 * and the bidirectional overrides that reorder what is shown are removed.
 */

const ESC = '\u001b';
const BEL = '\u0007';

/** ESC-introduced sequences: CSI, OSC (to BEL or ST), DCS/SOS/PM/APC (to ST), two-character escapes. */
const ESCAPE_SEQUENCE = new RegExp(
  [
    `${ESC}\\[[0-?]*[ -/]*[@-~]`,
    `${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)?`,
    `${ESC}[PX^_][^${ESC}]*(?:${ESC}\\\\)?`,
    `${ESC}[ -/]*[0-~]`,
    // 8-bit forms: CSI (0x9B), and OSC/DCS/SOS/PM/APC up to BEL or ST (0x9C).
    '\u009b[0-?]*[ -/]*[@-~]',
    `[\u0090\u0098\u009d\u009e\u009f][^${BEL}\u009c${ESC}]*(?:${BEL}|\u009c|${ESC}\\\\)?`,
  ].join('|'),
  'g',
);
/** Any control character left (a lone ESC included), and bidi embeddings, overrides, isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const BREAKS = /[\t\n\r]+/g;

/** `text` with every escape sequence and control character removed; tabs and newlines kept. */
export function terminalText(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** `text` for one line of output (a table cell, a log line): newlines and tabs become spaces. */
export function terminalLine(text: string): string {
  return terminalText(text).replace(BREAKS, ' ');
}
