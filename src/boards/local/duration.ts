/** DAG durations are read by the one parser the command line uses too (src/core/duration.ts). */
export { DURATION_HINT, describeValue, parseDuration } from '../../core/duration.js';
