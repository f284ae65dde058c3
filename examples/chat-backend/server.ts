/**
 * Starts the example chat backend: `npm run example`, or `PORT=8080 npx tsx examples/chat-backend/server.ts`.
 * Listens on 127.0.0.1 only; set HOST=0.0.0.0 to let other machines in.
 */
import { startChatServer } from './backend.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Expected PORT to be an integer in [0, 65535], got ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}
const host = process.env.HOST ?? '127.0.0.1';
const { url } = await startChatServer({ port, host });
console.log(`fenliu chat backend on ${url}
  agents:    ${url}/agent.html
  customers: ${url}/customer.html
Open an agent tab and go online, then open a customer tab and start a chat. Ctrl-C stops it.`);
