/** Process entry of the CLI (bin/exhunt.js imports the compiled copy). */
import { buildProgram } from './program.js';

const program = await buildProgram(process.argv[2]);
await program.parseAsync(process.argv);
