/**
 * Test entry point: `exhunt serve` alone (the serve tests run it as a child process, so they do
 * not depend on how src/cli/program.ts wires commands).
 */
import { Command } from 'commander';
import { registerServe } from '../../../cli/serve.js';

const program = new Command('exhunt');
registerServe(program);
await program.parseAsync(process.argv);
