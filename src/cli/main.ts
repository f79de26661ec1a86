/** Process entry of the CLI (bin/exhunt.js imports the compiled copy). */
import { endQuietlyOnClosedPipe } from './closed-pipe.js';
import { buildProgram } from './program.js';

endQuietlyOnClosedPipe();

const program = await buildProgram(process.argv[2]);
await program.parseAsync(process.argv);
