#!/usr/bin/env node
/** The `fenliu` executable: runs the command line on the process's arguments and exits with its code. */
import { main } from './main.js';

// A reader that went away (`fenliu simulate | head`) is no failure of the command: it stops
// quietly. Any other failure to write the output (a full disk) is one line, as every error is.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`fenliu: cannot write the output: ${error.message}\n`);
  process.exit(error.code === 'EPIPE' ? process.exitCode : 1);
});
process.exitCode = main(process.argv.slice(2));
