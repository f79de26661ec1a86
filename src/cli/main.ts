/** Process entry of the CLI (bin/exhunt.js imports the compiled copy). */
import { buildProgram } from './program.js';

await buildProgram().parseAsync(process.argv);
