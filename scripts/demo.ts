/**
 * npm run demo -- [--keep] [--work-root dir]
 *
 * From issues to pull requests with no GitHub account: see scripts/demo/run-demo.ts. Prints its
 * progress and the resulting pull requests, labels and state comments; exits 1 if a step failed.
 */
import { parseArgs } from 'node:util';
import { DemoFailed, runDemo } from './demo/run-demo.js';

const { values } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    'work-root': { type: 'string' },
  },
});
const started = Date.now();
try {
  await runDemo({
    log: (line) => console.log(line),
    keep: values.keep,
    ...(values['work-root'] ? { workRoot: values['work-root'] } : {}),
  });
  console.log(`\ndemo done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`\ndemo failed: ${error instanceof DemoFailed ? error.message : String(error)}`);
  if (!(error instanceof DemoFailed) && error instanceof Error) console.error(error.stack);
  process.exitCode = 1;
}
