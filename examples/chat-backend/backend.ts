/**
 * A minimal chat backend routed by fenliu. Browser tabs are customers and agents; each keeps one
 * WebSocket to this server and speaks the small JSON protocol below. The Router decides who gets
 * each chat and counts who awaits a reply; this file keeps the sockets, the message history and
 * one timer on the router's next deadline.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
// In an app this is `from 'fenliu'`; the example imports the sources so that it runs in this
// repository without a build.
import { Router, RoutingError } from '../../src/index.js';
import type { AgentDecision, Decision, RoutingErrorCode } from '../../src/index.js';

/** Why a chat was taken from its agent, as the router's decision says (`offline`, `timeout`, …). */
export type RerouteCause = NonNullable<Decision['rerouteReason']>;

/**
 * What a tab sends. An agent tab goes `online` first (and may go `offline` again), a customer tab
 * `open`s a chat first. `end` from an agent names the chat; from a customer it ends its own.
 */
export type ClientMessage =
  | { type: 'online'; agentId: string; cap?: number; afterSales?: boolean }
  | { type: 'offline' }
  | { type: 'open'; customerId: string; orderState?: string; text?: string }
  | { type: 'say'; text: string; customerId?: string }
  | { type: 'end'; customerId?: string };

/**
 * Why a queued customer waits, so that the page can say it: its agent did not answer in time and
 * nobody else can take the chat yet (`no-answer`); the after-sales team is bound to the customer's
 * order state and none of it can take the chat; no agent is online; or every agent who may take it
 * is at their cap.
 */
export type WaitReason = 'no-answer' | 'after-sales' | 'nobody-online' | 'all-busy';

/** What the server sends to a tab. */
export type ServerMessage =
  | { type: 'online'; agentId: string }
  | { type: 'offline'; agentId: string }
  | { type: 'chat'; customerId: string; orderState: string; reason: AgentDecision['reason']; waitedMs?: number; reroutedFrom?: string; rerouteReason?: RerouteCause; messages: Line[] }
  | { type: 'assigned'; agentId: string; reason: AgentDecision['reason'] }
  | { type: 'queued'; position: number; why: WaitReason }
  /** To the customer: its agent is gone — went offline (`offline`) or did not answer in time (`timeout`). */
  | { type: 'agent-left'; agentId: string; reason: RerouteCause }
  /** To an agent: a chat was taken from it (it did not answer within the answer timeout). */
  | { type: 'taken'; customerId: string; reason: RerouteCause }
  /** To an agent, whenever its figures change: open chats, and those awaiting its reply (待回复). */
  | { type: 'load'; active: number; pending: number }
  | { type: 'message'; customerId: string; line: Line }
  | { type: 'ended'; customerId: string; by: 'agent' | 'customer' }
  | { type: 'error'; message: string; code?: RoutingErrorCode };

export interface Line { from: 'customer' | 'agent'; text: string }

interface Chat {
  readonly customerId: string;
  readonly orderState: string;
  readonly customer: WebSocket;
  /** The agent the Router assigned it to; `undefined` while it waits in the queue. */
  agentId: string | undefined;
  /** Its place in the queue and the reason as last told to the customer (0 when not queued). */
  position: number;
  why: WaitReason | undefined;
  /** It went back to the queue because its agent did not answer in time; cleared when an agent takes it. */
  unanswered: boolean;
  readonly lines: Line[];
}

export interface ChatServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly router: Router;
  close(): Promise<void>;
}

/** The settings of {@link startChatServer}. */
export interface ChatServerOptions {
  /** `0` picks a free port. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /**
   * 超时转接: a chat whose agent does not reply within this long (ms) goes to another agent, or
   * back to the queue; `undefined` turns it off.
   * @default 60_000
   */
  answerTimeoutMs?: number | undefined;
}

/** The example's answer timeout unless `ANSWER_TIMEOUT_MS` says otherwise: a minute. */
export const DEFAULT_ANSWER_TIMEOUT_MS = 60_000;

/** The longest delay `setTimeout` takes (2^31 − 1 ms); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The largest WebSocket message a tab may send (bytes), and the longest line of a chat (characters). */
const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_TEXT = 10_000;

const PAGES = new Map([
  ['/', 'index.html'],
  ['/index.html', 'index.html'],
  ['/customer.html', 'customer.html'],
  ['/agent.html', 'agent.html'],
  ['/chat.css', 'chat.css'],
]);

/** Starts the backend; `port: 0` picks a free port. */
export async function startChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const { port = 0, host = '127.0.0.1' } = options;
  const answerTimeoutMs = 'answerTimeoutMs' in options ? options.answerTimeoutMs : DEFAULT_ANSWER_TIMEOUT_MS;
  // Shipped and refunding orders go to the after-sales group (分组绑定); other states to everyone.
  // The router is given the wall clock, so its deadlines are wall-clock times.
  const router = new Router({
    clock: Date.now,
    groups: [{ id: 'after-sales', orderStates: AFTER_SALES_STATES }],
    ...(answerTimeoutMs === undefined ? {} : { answerTimeoutMs }),
  });
  /** Open chats by customer id: exactly the consultations open in the router. */
  const chats = new Map<string, Chat>();
  /** The one tab of each online agent. */
  const agentTabs = new Map<string, WebSocket>();

  const send = (socket: WebSocket | undefined, message: ServerMessage): void => {
    if (socket !== undefined && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  /** Each agent tab's figures as last sent, so that a tab hears only of changes. */
  const loads = new Map<string, string>();
  // The router counts pending itself (customerMessage / agentReply): the tabs are only told of it.
  const reportLoads = (): void => {
    for (const [agentId, socket] of agentTabs) {
      const agent = router.getAgent(agentId);
      if (agent === undefined) continue;
      const load = `${agent.active}/${agent.pending}`;
      if (loads.get(agentId) === load) continue;
      loads.set(agentId, load);
      send(socket, { type: 'load', active: agent.active, pending: agent.pending });
    }
  };

  const waitReason = (chat: Chat): WaitReason => {
    if (chat.unanswered) return 'no-answer';
    if (AFTER_SALES_STATES.includes(chat.orderState)) return 'after-sales';
    // The tabs of agents online are the agents online: no walk of every agent the router knows.
    return agentTabs.size > 0 ? 'all-busy' : 'nobody-online';
  };

  /** Carries out the router's decisions: every call that frees capacity may return several. */
  const deliver = (decisions: readonly Decision[]): void => {
    for (const d of decisions) {
      const chat = chats.get(d.customerId);
      if (chat === undefined) continue;
      // Taken back from an agent (rule 9): the customer hears that the agent left, and why, before
      // anything else; an agent still online (its answer timed out) hears that the chat is gone.
      if (d.reroutedFrom !== undefined) {
        const reason = d.rerouteReason ?? 'transfer';
        send(chat.customer, { type: 'agent-left', agentId: d.reroutedFrom, reason });
        send(agentTabs.get(d.reroutedFrom), { type: 'taken', customerId: chat.customerId, reason });
      }
      switch (d.kind) {
        case 'agent':
          chat.agentId = d.agentId;
          chat.position = 0;
          chat.unanswered = false;
          send(agentTabs.get(d.agentId), {
            type: 'chat', customerId: chat.customerId, orderState: chat.orderState, reason: d.reason,
            ...(d.waitedMs === undefined ? {} : { waitedMs: d.waitedMs }),
            ...(d.reroutedFrom === undefined ? {} : { reroutedFrom: d.reroutedFrom, rerouteReason: d.rerouteReason ?? 'transfer' }),
            messages: chat.lines,
          });
          send(chat.customer, { type: 'assigned', agentId: d.agentId, reason: d.reason });
          break;
        case 'queued':
          chat.agentId = undefined;
          chat.unanswered = d.rerouteReason === 'timeout';
          // A chat that re-enters the queue is told its place again, even if the number is the same.
          chat.position = 0;
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
      if (chat === undefined) continue;
      const why = waitReason(chat);
      if (chat.position !== q.position || chat.why !== why) {
        chat.position = q.position;
        chat.why = why;
        send(chat.customer, { type: 'queued', position: q.position, why });
      }
    }
  };

  const endChat = (chat: Chat, by: 'agent' | 'customer'): void => {
    const drained = router.end(chat.customerId);
    chats.delete(chat.customerId);
    const message: ServerMessage = { type: 'ended', customerId: chat.customerId, by };
    send(chat.customer, message);
    if (chat.agentId !== undefined) send(agentTabs.get(chat.agentId), message);
    deliver(drained);
  };

  /** Takes an agent offline: the router re-routes its open chats (rule 9) to others or to the queue. */
  const goOffline = (agentId: string): void => {
    agentTabs.delete(agentId);
    loads.delete(agentId);
    deliver(router.setStatus(agentId, 'offline'));
  };

  // One timer for the shop, on the router's earliest deadline (here: answer timeouts). Deadlines
  // fire only in `advance()`, so the timer is re-armed after every router call: a reply cancels a
  // deadline, an assignment adds one. When it fires, `advance()` re-routes the chats nobody answered.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const arm = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const next = router.nextDeadline();
    if (next === undefined || closed) return;
    // setTimeout takes at most 2^31 − 1 ms (about 24.8 days); a later deadline re-arms on the way.
    timer = setTimeout(() => {
      timer = undefined;
      deliver(router.advance());
      reportLoads();
      arm();
    }, Math.min(MAX_TIMER_MS, Math.max(0, next - Date.now())));
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

  // A tab's messages are small; a larger frame closes its connection (ws's own limit is 100 MiB).
  const wss = new WebSocketServer({ server, path: '/ws', maxPayload: MAX_MESSAGE_BYTES });
  wss.on('connection', (socket) => {
    // A frame ws refuses (too large, not UTF-8) is an error on this socket: without a listener it
    // would end the process, and every chat with it.
    socket.on('error', () => socket.terminate());
    // A tab is one agent or one customer; a customer tab may open a new chat after one ends.
    let agentId: string | undefined;
    let customerId: string | undefined;

    const handle = (m: ClientMessage): void => {
      if (m.type === 'online') {
        if (agentId !== undefined || customerId !== undefined) throw new Error('This tab already has a role');
        if (agentTabs.has(m.agentId)) throw new Error(`Agent ${m.agentId} is already online in another tab`);
        // The router accepts a cap of 0 (an agent who takes nothing new); a tab going online with it
        // would receive nothing and not know why, so the example refuses it.
        if (m.cap !== undefined && !(Number.isInteger(m.cap) && m.cap >= 1)) {
          throw new Error(m.cap === 0
            ? 'A cap of 0 would give you no chats: enter 1 or more, or leave it empty for no cap'
            : `A cap must be a whole number of 1 or more (or empty for no cap), not ${m.cap}`);
        }
        // Validates first and throws before any change: a bad cap leaves the tab without a role.
        const drained = router.upsertAgent({
          id: m.agentId, status: 'online', cap: m.cap ?? Number.POSITIVE_INFINITY,
          groups: m.afterSales === true ? ['after-sales'] : [],
        });
        agentId = m.agentId;
        agentTabs.set(agentId, socket);
        send(socket, { type: 'online', agentId });
        deliver(drained);
      } else if (m.type === 'offline') {
        if (agentId === undefined) throw new Error('This tab is not an online agent');
        const id = agentId;
        agentId = undefined;
        goOffline(id);
        send(socket, { type: 'offline', agentId: id });
      } else if (m.type === 'open') {
        if (agentId !== undefined) throw new Error('An agent tab cannot open a chat');
        if (customerId !== undefined && chats.get(customerId)?.customer === socket) throw new Error('This tab already has an open chat');
        const decision = router.route({ customerId: m.customerId, ...(m.orderState === undefined ? {} : { orderState: m.orderState }) });
        customerId = m.customerId;
        const lines: Line[] = m.text === undefined || m.text === '' ? [] : [{ from: 'customer', text: m.text }];
        // The chat opens with the customer's message: an agent it goes to has it awaiting a reply.
        chats.set(customerId, { customerId, orderState: m.orderState ?? 'none', customer: socket, agentId: undefined, position: 0, why: undefined, unanswered: false, lines });
        for (const line of lines) send(socket, { type: 'message', customerId, line });
        deliver([decision]);
      } else if (m.type === 'say') {
        const chat = chats.get((agentId === undefined ? customerId : m.customerId) ?? '');
        if (chat === undefined || (agentId !== undefined && chat.agentId !== agentId) || (agentId === undefined && chat.customer !== socket)) throw new Error('No such open chat');
        const line: Line = { from: agentId === undefined ? 'customer' : 'agent', text: m.text };
        // The customer wrote: the chat awaits its agent's reply (pending, 待回复) — while it waits in
        // the queue this changes nothing. The agent replied: it no longer awaits, and its answer
        // timeout is off.
        if (line.from === 'customer') router.customerMessage(chat.customerId);
        else router.agentReply(chat.customerId);
        chat.lines.push(line);
        send(chat.customer, { type: 'message', customerId: chat.customerId, line });
        if (chat.agentId !== undefined) send(agentTabs.get(chat.agentId), { type: 'message', customerId: chat.customerId, line });
      } else if (agentId !== undefined) {
        const chat = chats.get(m.customerId ?? '');
        if (chat === undefined || chat.agentId !== agentId) throw new Error('No such open chat');
        endChat(chat, 'agent');
      } else {
        const chat = chats.get(customerId ?? '');
        if (chat === undefined || chat.customer !== socket) throw new Error('No such open chat');
        endChat(chat, 'customer');
      }
    };

    socket.on('message', (data: RawData) => {
      let action: ClientMessage['type'] | undefined;
      try {
        const m = parse(String(data));
        action = m.type;
        handle(m);
        reportLoads();
      } catch (error) {
        // A RoutingError's message is written for the developer ("Expected `customerId` …"): the
        // person at the tab gets a sentence about what they did, and the code for the curious.
        send(socket, error instanceof RoutingError
          ? { type: 'error', message: friendly(error, action), code: error.code }
          : { type: 'error', message: String((error as Error).message) });
      }
      arm();
    });

    socket.on('close', () => {
      const chat = customerId === undefined ? undefined : chats.get(customerId);
      if (chat !== undefined && chat.customer === socket) endChat(chat, 'customer'); // the customer gave up
      if (agentId !== undefined) goOffline(agentId);
      reportLoads();
      arm();
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
      closed = true;
      clearTimeout(timer);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve, reject) => server.close((e) => (e === undefined ? resolve() : reject(e))));
    },
  };
}

/** Shipped and refunding orders are the after-sales group's (分组绑定). */
const AFTER_SALES_STATES = ['shipped', 'refunding'];

/** What the person at the tab is told when the router refuses what they asked for. */
export function friendly(error: RoutingError, action: ClientMessage['type'] | undefined): string {
  if (action === 'open') {
    switch (error.code) {
      case 'DUPLICATE_CUSTOMER':
        return 'You already have a chat open under this name. Continue it in its tab, or start this one under another name.';
      case 'UNKNOWN_ORDER_STATE':
        return 'Please pick your order state from the list.';
      case 'INVALID_ARGUMENT':
        return 'Please enter your name to start a chat.';
      default:
        return 'Your chat could not be started. Please try again.';
    }
  }
  if (action === 'online') {
    return error.field === 'spec.id'
      ? 'Please enter an agent id to go online.'
      : 'You could not go online: check the agent id and the cap (a whole number of 1 or more, or empty).';
  }
  return 'That did not work. Please try again.';
}

/** A message's text, at most {@link MAX_TEXT} characters: every line is kept and sent again on a re-route. */
function text<T extends string | undefined>(value: T): T {
  if (value !== undefined && value.length > MAX_TEXT) throw new Error(`Expected a message of at most ${MAX_TEXT} characters, got ${value.length}`);
  return value;
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
    case 'open': return { type: 'open', customerId: str('customerId'), orderState: optional<string>('orderState', 'string'), text: text(optional<string>('text', 'string')) };
    case 'say': return { type: 'say', text: text(str('text')), customerId: optional<string>('customerId', 'string') };
    case 'offline': return { type: 'offline' };
    case 'end': return { type: 'end', customerId: optional<string>('customerId', 'string') };
    default: throw new Error(`Expected \`type\` to be one of online, offline, open, say, end, got ${JSON.stringify(m.type)}`);
  }
}
