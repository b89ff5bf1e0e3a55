/**
 * `npm run docs:env`: writes `.env.example` and the README's variable tables from
 * src/config/variables.ts, the one description of every variable.
 * src/config/env-docs.test.ts fails (naming this command) when either has drifted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderEnvFile } from '../src/config/env-file.js';
import { VARIABLE_SECTIONS } from '../src/config/variables.js';
import { spliceVariablesTables } from '../src/config/variables-table.js';

const root = new URL('../', import.meta.url);
const readmeUrl = new URL('README.md', root);

writeFileSync(new URL('.env.example', root), renderEnvFile(VARIABLE_SECTIONS));
const { text, missing } = spliceVariablesTables(readFileSync(readmeUrl, 'utf8'), VARIABLE_SECTIONS);
if (missing.length > 0) {
  process.stderr.write(
    `README.md lacks the markers of ${missing.map((id) => `<!-- variables:start ${id} -->…<!-- variables:end ${id} -->`).join(', ')}: add them where the table belongs.\n`,
  );
  process.exitCode = 1;
}
writeFileSync(readmeUrl, text);
process.stdout.write('Wrote .env.example and the README variable tables.\n');
