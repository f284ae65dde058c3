/**
 * A minimal chat backend routed by fenliu. Browser tabs are customers and agents; each keeps one
 * WebSocket to this server and speaks the small JSON protocol below. The Router decides who gets
 * each chat; this file only keeps the sockets, the message history and the pending counts.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
// In an app this is `from 'fenliu'`; the example imports the sources so that it runs in this
// repository without a build.
import { Router, RoutingError } from '../../src/index.js';
import type { AgentDecision, Decision } from '../../src/index.js';

/** What a tab sends. An agent tab goes `online` first, a customer tab `open`s a chat first. */
export type ClientMessage =
  | { type: 'online'; agentId: string; cap?: number; afterSales?: boolean }
  | { type: 'open'; customerId: string; orderState?: string; text?: string }
  | { type: 'say'; text: string; customerId?: string }
  | { type: 'end'; customerId: string };

/** What the server sends to a tab. */
export type ServerMessage =
  | { type: 'online'; agentId: string }
  | { type: 'chat'; customerId: string; orderState: string; reason: AgentDecision['reason']; reroutedFrom?: string; messages: Line[] }
  | { type: 'assigned'; agentId: string; reason: AgentDecision['reason'] }
  | { type: 'queued'; position: number }
  | { type: 'message'; customerId: string; line: Line }
  | { type: 'ended'; customerId: string; by: 'agent' | 'customer' }
  | { type: 'error'; message: string };

export interface Line { from: 'customer' | 'agent'; text: string }

interface Chat {
  readonly customerId: string;
  readonly orderState: string;
  readonly customer: WebSocket;
  /** The agent the Router assigned it to; `undefined` while it waits in the queue. */
  agentId: string | undefined;
  /** Its place in the queue as last told to the customer (0 when not queued). */
  position: number;
  /** The customer spoke last: the chat counts in its agent's pending (待回复) figure. */
  awaitingReply: boolean;
  readonly lines: Line[];
}

export interface ChatServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly router: Router;
  close(): Promise<void>;
}

const PAGES = new Map([
  ['/', 'index.html'],
  ['/index.html', 'index.html'],
  ['/customer.html', 'customer.html'],
  ['/agent.html', 'agent.html'],
  ['/chat.css', 'chat.css'],
]);

/** Starts the backend; `port: 0` picks a free port. */
export async function startChatServer({ port = 0, host = '127.0.0.1' } = {}): Promise<ChatServer> {
  // Shipped and refunding orders go to the after-sales group (分组绑定); other states to everyone.
  const router = new Router({ groups: [{ id: 'after-sales', orderStates: ['shipped', 'refunding'] }] });
  /** Open chats by customer id: exactly the consultations open in the router. */
  const chats = new Map<string, Chat>();
  /** The one tab of each online agent. */
  const agentTabs = new Map<string, WebSocket>();

  const send = (socket: WebSocket | undefined, message: ServerMessage): void => {
    if (socket !== undefined && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  // Pending is what the backend knows and the router does not: which customers still await a reply.
  const syncPending = (agentId: string): void => {
    let pending = 0;
    for (const chat of chats.values()) if (chat.agentId === agentId && chat.awaitingReply) pending++;
    router.setPending(agentId, pending);
  };

  /** Carries out the router's decisions: every call that frees capacity may return several. */
  const deliver = (decisions: readonly Decision[]): void => {
    for (const d of decisions) {
      const chat = chats.get(d.customerId);
      if (chat === undefined) continue;
      switch (d.kind) {
        case 'agent':
          chat.agentId = d.agentId;
          chat.position = 0;
          send(agentTabs.get(d.agentId), {
            type: 'chat', customerId: chat.customerId, orderState: chat.orderState, reason: d.reason,
            ...(d.reroutedFrom === undefined ? {} : { reroutedFrom: d.reroutedFrom }), messages: chat.lines,
          });
          send(chat.customer, { type: 'assigned', agentId: d.agentId, reason: d.reason });
          syncPending(d.agentId);
          break;
        case 'queued':
          chat.agentId = undefined;
          break;
        case 'robot':
        case 'offline':
          // Not reachable here: the shop has no robot and `noAgent` is 'queue' (the default).
          send(chat.customer, { type: 'error', message: `Routed to ${d.kind} (${d.reason})` });
          break;
      }
    }
    // Every drain moves the rest of the queue up: tell each waiting customer its new place.
    for (const q of router.queue()) {
      const chat = chats.get(q.customerId);
      if (chat !== undefined && chat.position !== q.position) {
        chat.position = q.position;
        send(chat.customer, { type: 'queued', position: q.position });
      }
    }
  };

  const endChat = (chat: Chat, by: 'agent' | 'customer'): void => {
    const drained = router.end(chat.customerId);
    chats.delete(chat.customerId);
    const message: ServerMessage = { type: 'ended', customerId: chat.customerId, by };
    send(chat.customer, message);
    if (chat.agentId !== undefined) {
      send(agentTabs.get(chat.agentId), message);
      syncPending(chat.agentId);
    }
    deliver(drained);
  };

  const server = createServer((req, res) => {
    const file = PAGES.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'GET' || file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    readFile(new URL(`./public/${file}`, import.meta.url)).then(
      (body) => res.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8' }).end(body),
      () => res.writeHead(500).end(),
    );
  });

  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (socket) => {
    // A tab is one agent or one customer; a customer tab may open a new chat after one ends.
    let agentId: string | undefined;
    let customerId: string | undefined;

    const handle = (m: ClientMessage): void => {
      if (m.type === 'online') {
        if (agentId !== undefined || customerId !== undefined) throw new Error('This tab already has a role');
        if (agentTabs.has(m.agentId)) throw new Error(`Agent ${m.agentId} is already online in another tab`);
        // Validates first and throws before any change: a bad cap leaves the tab without a role.
        const drained = router.upsertAgent({
          id: m.agentId, status: 'online', cap: m.cap ?? Number.POSITIVE_INFINITY, pending: 0,
          groups: m.afterSales === true ? ['after-sales'] : [],
        });
        agentId = m.agentId;
        agentTabs.set(agentId, socket);
        send(socket, { type: 'online', agentId });
        deliver(drained);
      } else if (m.type === 'open') {
        if (agentId !== undefined) throw new Error('An agent tab cannot open a chat');
        if (customerId !== undefined && chats.get(customerId)?.customer === socket) throw new Error('This tab already has an open chat');
        const decision = router.route({ customerId: m.customerId, ...(m.orderState === undefined ? {} : { orderState: m.orderState }) });
        customerId = m.customerId;
        const lines: Line[] = m.text === undefined || m.text === '' ? [] : [{ from: 'customer', text: m.text }];
        chats.set(customerId, { customerId, orderState: m.orderState ?? 'none', customer: socket, agentId: undefined, position: 0, awaitingReply: true, lines });
        for (const line of lines) send(socket, { type: 'message', customerId, line });
        deliver([decision]);
      } else if (m.type === 'say') {
        const chat = chats.get((agentId === undefined ? customerId : m.customerId) ?? '');
        if (chat === undefined || (agentId !== undefined && chat.agentId !== agentId) || (agentId === undefined && chat.customer !== socket)) throw new Error('No such open chat');
        const line: Line = { from: agentId === undefined ? 'customer' : 'agent', text: m.text };
        chat.lines.push(line);
        chat.awaitingReply = line.from === 'customer';
        send(chat.customer, { type: 'message', customerId: chat.customerId, line });
        if (chat.agentId !== undefined) {
          send(agentTabs.get(chat.agentId), { type: 'message', customerId: chat.customerId, line });
          syncPending(chat.agentId);
        }
      } else {
        const chat = chats.get(m.customerId);
        if (agentId === undefined || chat === undefined || chat.agentId !== agentId) throw new Error('No such open chat');
        endChat(chat, 'agent');
      }
    };

    socket.on('message', (data: RawData) => {
      try {
        handle(parse(String(data)));
      } catch (error) {
        // RoutingError messages say what was expected and what came in: good enough for a tab.
        send(socket, { type: 'error', message: error instanceof RoutingError ? `${error.code}: ${error.message}` : String((error as Error).message) });
      }
    });

    socket.on('close', () => {
      const chat = customerId === undefined ? undefined : chats.get(customerId);
      if (chat !== undefined && chat.customer === socket) endChat(chat, 'customer'); // the customer gave up
      if (agentId !== undefined) {
        agentTabs.delete(agentId);
        // Going offline re-routes the agent's open chats (rule 9) to others or to the queue.
        deliver(router.setStatus(agentId, 'offline'));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    router,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve, reject) => server.close((e) => (e === undefined ? resolve() : reject(e))));
    },
  };
}

/** Checks the shape of a tab's message; the Router validates the values (ids, cap, order state). */
function parse(raw: string): ClientMessage {
  const m = JSON.parse(raw) as Record<string, unknown>;
  const str = (key: string): string => {
    if (typeof m[key] !== 'string') throw new Error(`Expected \`${key}\` to be a string, got ${JSON.stringify(m[key])}`);
    return m[key];
  };
  const optional = <T>(key: string, type: string): T | undefined => {
    if (m[key] === undefined) return undefined;
    if (typeof m[key] !== type) throw new Error(`Expected \`${key}\` to be a ${type}, got ${JSON.stringify(m[key])}`);
    return m[key] as T;
  };
  switch (m.type) {
    case 'online': return { type: 'online', agentId: str('agentId'), cap: optional<number>('cap', 'number'), afterSales: optional<boolean>('afterSales', 'boolean') };
    case 'open': return { type: 'open', customerId: str('customerId'), orderState: optional<string>('orderState', 'string'), text: optional<string>('text', 'string') };
    case 'say': return { type: 'say', text: str('text'), customerId: optional<string>('customerId', 'string') };
    case 'end': return { type: 'end', customerId: str('customerId') };
    default: throw new Error(`Expected \`type\` to be one of online, open, say, end, got ${JSON.stringify(m.type)}`);
  }
}
