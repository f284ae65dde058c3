/**
 * Starts the example chat backend: `npm run example`, or `PORT=8080 npx tsx examples/chat-backend/server.ts`.
 * Listens on 127.0.0.1 only; set HOST=0.0.0.0 to let other machines in. ANSWER_TIMEOUT_MS sets how
 * long an agent may leave a chat unanswered before it goes to someone else (default 60000; `off`
 * turns it off).
 */
import { DEFAULT_ANSWER_TIMEOUT_MS, startChatServer } from './backend.js';

const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  fail(`Expected PORT to be an integer in [0, 65535], got ${JSON.stringify(process.env.PORT)}`);
}
const host = process.env.HOST ?? '127.0.0.1';
const timeoutText = process.env.ANSWER_TIMEOUT_MS;
let answerTimeoutMs: number | undefined = DEFAULT_ANSWER_TIMEOUT_MS;
if (timeoutText === 'off') answerTimeoutMs = undefined;
else if (timeoutText !== undefined) {
  answerTimeoutMs = Number(timeoutText);
  if (timeoutText.trim() === '' || !Number.isInteger(answerTimeoutMs) || answerTimeoutMs < 1) {
    fail(`Expected ANSWER_TIMEOUT_MS to be a whole number of milliseconds >= 1, or off, got ${JSON.stringify(timeoutText)}`);
  }
}
const { url } = await startChatServer({ port, host, answerTimeoutMs });
console.log(`fenliu chat backend on ${url}
  agents:    ${url}/agent.html
  customers: ${url}/customer.html
${answerTimeoutMs === undefined
    ? 'Answer timeout off: a chat stays with its agent however long it waits for a reply.'
    : `A chat its agent leaves unanswered for ${answerTimeoutMs / 1000} s goes to another agent (ANSWER_TIMEOUT_MS).`}
Open an agent tab and go online, then open a customer tab and start a chat. Ctrl-C stops it.`);
