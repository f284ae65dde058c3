#!/usr/bin/env node
/** The `fenliu` executable: runs the command line on the process's arguments and exits with its code. */
import { main } from './main.js';

process.exitCode = main(process.argv.slice(2));
