// Rewrites the example-message column of docs/errors.md from the errors the code really throws:
// `npx tsx test/errors/render-docs.ts`. The catalogue test fails when the doc is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { Router, RoutingError } from '../../src/index.js';
import type { RouterOptions } from '../../src/options.js';
import { badCalls, badClock, badOptions, populated } from './catalogue.js';

/** The message each catalogue entry throws, by its `input` label. */
export function catalogueMessages(): Map<string, string> {
  const messages = new Map<string, string>();
  const record = (input: string, call: () => unknown): void => {
    try {
      call();
    } catch (error) {
      if (error instanceof RoutingError) messages.set(input, error.message);
    }
  };
  for (const b of badCalls) record(b.input, () => b.call(populated()));
  for (const b of badOptions) record(b.input, () => new Router(b.options as RouterOptions));
  record(badClock.input, () => badClock.call(populated()));
  return messages;
}

/** Puts each message in its row's third column; rows are `| input | code | message |`. */
export function renderDoc(doc: string, messages: Map<string, string>): string {
  return doc.split('\n').map((line) => {
    const m = /^\| (.+?) \| (`[A-Z_]+`) \| .* \|$/.exec(line);
    const message = m === null ? undefined : messages.get(m[1] as string);
    return message === undefined ? line : `| ${m![1]} | ${m![2]} | ${message.replaceAll('|', '\\|')} |`;
  }).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('../../docs/errors.md', import.meta.url);
  writeFileSync(path, renderDoc(readFileSync(path, 'utf8'), catalogueMessages()));
}
