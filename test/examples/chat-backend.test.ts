import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { startChatServer } from '../../examples/chat-backend/backend.js';
import type { ChatServer, ClientMessage, ServerMessage } from '../../examples/chat-backend/backend.js';

// The example backend's protocol, spoken by plain WebSocket clients (no browser): what a tab is
// told when the router refuses something, and what the example itself refuses.
describe('example chat backend protocol', () => {
  let server: ChatServer;
  let sockets: WebSocket[] = [];
  let children: ChildProcessWithoutNullStreams[] = [];

  beforeEach(async () => {
    server = await startChatServer({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    for (const socket of sockets) socket.terminate();
    sockets = [];
    await server.close();
    for (const proc of children) proc.kill();
    children = [];
  });

  /** A backend whose agents must answer within `answerTimeoutMs`, in place of the default one. */
  async function restartWithTimeout(answerTimeoutMs: number): Promise<void> {
    await server.close();
    server = await startChatServer({ port: 0, host: '127.0.0.1', answerTimeoutMs });
  }

  /** A tab: sends messages, collects what the server answers, and tells whether a kind arrived. */
  async function tab(url = server.url): Promise<{
    send: (m: ClientMessage | Record<string, unknown>) => void;
    /** The first message of that type not taken yet (and matching `match`), waiting up to 5 s for it. */
    next: (type: ServerMessage['type'], match?: (m: ServerMessage) => boolean) => Promise<ServerMessage>;
    has: (type: ServerMessage['type']) => boolean;
  }> {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`);
    sockets.push(socket);
    const received: ServerMessage[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as ServerMessage));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return {
      send: (m) => socket.send(JSON.stringify(m)),
      next: async (type, match = () => true) => {
        const wanted = (m: ServerMessage): boolean => m.type === type && match(m);
        await expect.poll(() => received.some(wanted), { timeout: 5_000 }).toBe(true);
        const i = received.findIndex(wanted);
        return received.splice(i, 1)[0] as ServerMessage;
      },
      has: (type) => received.some((m) => m.type === type),
    };
  }

  it('a frame it cannot read (not UTF-8, or too large) closes that tab alone; the others chat on', async () => {
    const agent = await tab();
    agent.send({ type: 'online', agentId: 'a1' });
    await agent.next('online');
    for (const frame of [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), Buffer.alloc(100 * 1024, 0x20)]) {
      const bad = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
      sockets.push(bad);
      bad.on('error', () => {});
      await new Promise((resolve) => bad.once('open', resolve));
      const closed = new Promise((resolve) => bad.once('close', resolve));
      bad.send(frame, { binary: false });
      await closed;
    }
    const buyer = await tab();
    buyer.send({ type: 'open', customerId: 'b1', text: 'still there?' });
    expect(await agent.next('chat')).toMatchObject({ customerId: 'b1', messages: [{ from: 'customer', text: 'still there?' }] });
    // A line longer than a chat keeps is refused, and the chat goes on.
    buyer.send({ type: 'say', text: 'x'.repeat(10_001) });
    expect(await buyer.next('error')).toMatchObject({ message: 'Expected a message of at most 10000 characters, got 10001' });
    buyer.send({ type: 'say', text: 'ok' });
    expect(await agent.next('message')).toMatchObject({ customerId: 'b1', line: { from: 'customer', text: 'ok' } });
  });

  it('waits quietly for a deadline further off than setTimeout can wait (30 days)', async () => {
    await restartWithTimeout(30 * 24 * 3_600_000);
    const agent = await tab();
    agent.send({ type: 'online', agentId: 'a1' });
    await agent.next('online');
    const buyer = await tab();
    buyer.send({ type: 'open', customerId: 'b1', text: 'hello' });
    await agent.next('chat');
    const advance = vi.spyOn(server.router, 'advance');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(advance).not.toHaveBeenCalled();
  });

  it('refuses a cap of 0 (or any cap below 1, or a fraction) and adds no agent', async () => {
    const agent = await tab();
    for (const cap of [0, -1, 2.5]) {
      agent.send({ type: 'online', agentId: 'zero', cap });
      const error = await agent.next('error');
      expect(error).toMatchObject({ type: 'error' });
      expect((error as { message: string }).message).toContain('1 or more');
    }
    agent.send({ type: 'online', agentId: 'zero', cap: 0 });
    expect(await agent.next('error')).toEqual({ type: 'error', message: 'A cap of 0 would give you no chats: enter 1 or more, or leave it empty for no cap' });
    expect(server.router.getAgent('zero')).toBeUndefined();
    agent.send({ type: 'online', agentId: 'zero', cap: 1 });
    expect(await agent.next('online')).toEqual({ type: 'online', agentId: 'zero' });
    expect(server.router.getAgent('zero')?.cap).toBe(1);
  });

  it('turns the router\'s errors into sentences for the person at the tab, keeping the code', async () => {
    const first = await tab();
    first.send({ type: 'open', customerId: 'buyer-1', text: 'hi' });
    await first.next('queued');

    const second = await tab();
    second.send({ type: 'open', customerId: 'buyer-1', text: 'hi again' });
    expect(await second.next('error')).toEqual({
      type: 'error',
      code: 'DUPLICATE_CUSTOMER',
      message: 'You already have a chat open under this name. Continue it in its tab, or start this one under another name.',
    });
    second.send({ type: 'open', customerId: 'buyer-2', orderState: 'lost-in-the-post' });
    expect(await second.next('error')).toMatchObject({ code: 'UNKNOWN_ORDER_STATE', message: 'Please pick your order state from the list.' });
    second.send({ type: 'open', customerId: '' });
    expect(await second.next('error')).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Please enter your name to start a chat.' });

    const agent = await tab();
    agent.send({ type: 'online', agentId: '' });
    expect(await agent.next('error')).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Please enter an agent id to go online.' });
  });

  it('says why a queued chat waits', async () => {
    const shipped = await tab();
    shipped.send({ type: 'open', customerId: 'buyer-shipped', orderState: 'shipped' });
    expect(await shipped.next('queued')).toEqual({ type: 'queued', position: 1, why: 'after-sales' });
    const early = await tab();
    early.send({ type: 'open', customerId: 'buyer-early' });
    expect(await early.next('queued')).toEqual({ type: 'queued', position: 2, why: 'nobody-online' });

    // A pre-sales agent with a cap of 1 takes buyer-early; the shipped order keeps waiting for after-sales.
    const agent = await tab();
    agent.send({ type: 'online', agentId: 'pre-sales', cap: 1 });
    // Served from the queue, the chat keeps the rule that placed it and says how long it waited.
    expect(await early.next('assigned')).toEqual({ type: 'assigned', agentId: 'pre-sales', reason: 'split' });
    const chat = await agent.next('chat');
    expect(chat).toMatchObject({ customerId: 'buyer-early', reason: 'split' });
    expect((chat as { waitedMs?: number }).waitedMs).toBeGreaterThanOrEqual(0);
    expect(server.router.queue().map((q) => q.customerId)).toEqual(['buyer-shipped']);
    const late = await tab();
    late.send({ type: 'open', customerId: 'buyer-late' });
    expect(await late.next('queued')).toEqual({ type: 'queued', position: 2, why: 'all-busy' });
  });

  it('tells the customer when its agent goes offline, before the chat moves on', async () => {
    const a = await tab();
    a.send({ type: 'online', agentId: 'agent-a' });
    await a.next('online');
    const buyer = await tab();
    buyer.send({ type: 'open', customerId: 'buyer-1', text: 'hi' });
    await buyer.next('assigned');

    a.send({ type: 'offline' });
    expect(await a.next('offline')).toEqual({ type: 'offline', agentId: 'agent-a' });
    expect(await buyer.next('agent-left')).toEqual({ type: 'agent-left', agentId: 'agent-a', reason: 'offline' });
    expect(await buyer.next('queued')).toEqual({ type: 'queued', position: 1, why: 'nobody-online' });
    expect(server.router.getAgent('agent-a')?.status).toBe('offline');

    // Offline, the tab has no role: it cannot go offline twice, and may go online again. A chat
    // taken from an agent never goes back to it (rule 9): another agent serves it.
    a.send({ type: 'offline' });
    expect(await a.next('error')).toEqual({ type: 'error', message: 'This tab is not an online agent' });
    a.send({ type: 'online', agentId: 'agent-a' });
    await a.next('online');
    const b = await tab();
    b.send({ type: 'online', agentId: 'agent-b' });
    expect(await buyer.next('assigned')).toEqual({ type: 'assigned', agentId: 'agent-b', reason: 'split' });
  });

  it('lets a customer end its own chat, and only its own', async () => {
    const a = await tab();
    a.send({ type: 'online', agentId: 'agent-a' });
    const buyer = await tab();
    buyer.send({ type: 'open', customerId: 'buyer-1', text: 'hi' });
    await buyer.next('assigned');
    const other = await tab();
    other.send({ type: 'end', customerId: 'buyer-1' });
    expect(await other.next('error')).toEqual({ type: 'error', message: 'No such open chat' });

    buyer.send({ type: 'end' });
    expect(await buyer.next('ended')).toEqual({ type: 'ended', customerId: 'buyer-1', by: 'customer' });
    expect(await a.next('ended')).toEqual({ type: 'ended', customerId: 'buyer-1', by: 'customer' });
    expect(server.router.getAgent('agent-a')?.active).toBe(0);
  });

  it('counts pending from the router: up with each customer message, down with each reply, never set by hand', async () => {
    const setPending = vi.spyOn(server.router, 'setPending');
    const a = await tab();
    a.send({ type: 'online', agentId: 'agent-a' });
    expect(await a.next('load')).toEqual({ type: 'load', active: 0, pending: 0 });
    const buyer = await tab();
    buyer.send({ type: 'open', customerId: 'buyer-1', text: 'is the red one in stock?' });
    await buyer.next('assigned');
    // The chat opens with the customer's message: it awaits the agent's reply.
    expect(await a.next('load')).toEqual({ type: 'load', active: 1, pending: 1 });
    expect(server.router.consultation('buyer-1')).toMatchObject({ kind: 'agent', agentId: 'agent-a' });
    expect(server.router.consultation('buyer-1')?.awaitingReplySince).toBeTypeOf('number');

    a.send({ type: 'say', customerId: 'buyer-1', text: 'yes, three left' });
    expect(await a.next('load')).toEqual({ type: 'load', active: 1, pending: 0 });
    expect(server.router.getAgent('agent-a')?.pending).toBe(0);
    expect(server.router.consultation('buyer-1')?.awaitingReplySince).toBeUndefined();
    // A reply to a chat that awaits nothing changes no figure, so the tab hears nothing new.
    a.send({ type: 'say', customerId: 'buyer-1', text: 'anything else?' });
    buyer.send({ type: 'say', text: 'I will take it' });
    expect(await a.next('load')).toEqual({ type: 'load', active: 1, pending: 1 });
    buyer.send({ type: 'say', text: 'and a blue one' }); // still one customer awaiting, not two
    await a.next('message', (m) => m.type === 'message' && m.line.text === 'and a blue one');
    expect(server.router.getAgent('agent-a')?.pending).toBe(1);

    buyer.send({ type: 'end' });
    expect(await a.next('load')).toEqual({ type: 'load', active: 0, pending: 0 });
    expect(a.has('load')).toBe(false);
    expect(setPending).not.toHaveBeenCalled();
  });

  it('re-offers a chat its agent ignores to another agent after the answer timeout, and tells both sides', async () => {
    // Long enough for agent-b to answer in time on a loaded machine (a few round trips).
    await restartWithTimeout(1_000);
    const a = await tab();
    a.send({ type: 'online', agentId: 'agent-a' });
    await a.next('online');
    const b = await tab();
    b.send({ type: 'online', agentId: 'agent-b' });
    await b.next('online');
    const buyer = await tab();
    const opened = Date.now();
    buyer.send({ type: 'open', customerId: 'buyer-1', text: 'hello?' });
    expect(await buyer.next('assigned')).toMatchObject({ agentId: 'agent-a' });
    expect(await a.next('chat')).toMatchObject({ customerId: 'buyer-1' });
    const deadline = server.router.consultation('buyer-1')?.deadline;
    expect(deadline).toBeGreaterThanOrEqual(opened + 1_000);

    // Nobody at agent-a answers: the timer on the router's next deadline fires and re-routes it.
    expect(await buyer.next('agent-left')).toEqual({ type: 'agent-left', agentId: 'agent-a', reason: 'timeout' });
    expect(Date.now()).toBeGreaterThanOrEqual(deadline as number);
    expect(await a.next('taken')).toEqual({ type: 'taken', customerId: 'buyer-1', reason: 'timeout' });
    expect(await b.next('chat')).toMatchObject({
      customerId: 'buyer-1', reroutedFrom: 'agent-a', rerouteReason: 'timeout', messages: [{ from: 'customer', text: 'hello?' }],
    });
    expect(await buyer.next('assigned')).toMatchObject({ agentId: 'agent-b' });
    expect(server.router.getAgent('agent-a')).toMatchObject({ active: 0, pending: 0 });
    const second = server.router.consultation('buyer-1')?.deadline as number;
    // agent-a can no longer write in it; agent-b answers in time and keeps it.
    a.send({ type: 'say', customerId: 'buyer-1', text: 'sorry, here now' });
    expect(await a.next('error')).toEqual({ type: 'error', message: 'No such open chat' });
    b.send({ type: 'say', customerId: 'buyer-1', text: 'hi, how can I help?' });
    await buyer.next('message', (m) => m.type === 'message' && m.line.text === 'hi, how can I help?');
    expect(server.router.nextDeadline()).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, second - Date.now()) + 200));
    expect(buyer.has('agent-left')).toBe(false);
    expect(server.router.consultation('buyer-1')).toMatchObject({ kind: 'agent', agentId: 'agent-b' });
  });

  /** Runs server.ts as `npm run example` does, with the given environment; resolves to its output. */
  function runServer(env: Record<string, string>): { out: () => string; exit: Promise<number | null>; kill: () => void } {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'examples/chat-backend/server.ts'], { env: { ...process.env, ...env } });
    children.push(proc);
    let out = '';
    proc.stdout.on('data', (data) => { out += String(data); });
    proc.stderr.on('data', (data) => { out += String(data); });
    return { out: () => out, exit: new Promise((resolve) => proc.on('exit', resolve)), kill: () => proc.kill() };
  }

  it('takes its answer timeout from ANSWER_TIMEOUT_MS: an ignored chat goes back to the queue when nobody else is there', async () => {
    const run = runServer({ PORT: '0', ANSWER_TIMEOUT_MS: '300' });
    await expect.poll(run.out, { timeout: 15_000 }).toContain('Ctrl-C');
    expect(run.out()).toContain('unanswered for 0.3 s goes to another agent');
    const url = /on (http:\S+)/.exec(run.out())?.[1] as string;

    const solo = await tab(url);
    solo.send({ type: 'online', agentId: 'solo' });
    await solo.next('online');
    const buyer = await tab(url);
    buyer.send({ type: 'open', customerId: 'buyer-1', text: 'anyone?' });
    await buyer.next('assigned');
    // The only agent let it time out: never back to it, so it waits and the customer hears why.
    expect(await buyer.next('agent-left')).toEqual({ type: 'agent-left', agentId: 'solo', reason: 'timeout' });
    expect(await buyer.next('queued')).toEqual({ type: 'queued', position: 1, why: 'no-answer' });
    expect(await solo.next('taken')).toEqual({ type: 'taken', customerId: 'buyer-1', reason: 'timeout' });

    const next = await tab(url);
    next.send({ type: 'online', agentId: 'next' });
    expect(await next.next('chat')).toMatchObject({ customerId: 'buyer-1', reason: 'split' });
    expect(await buyer.next('assigned')).toEqual({ type: 'assigned', agentId: 'next', reason: 'split' });
  });

  it('refuses an ANSWER_TIMEOUT_MS that is not a whole number of milliseconds, and accepts off', async () => {
    const off = runServer({ PORT: '0', ANSWER_TIMEOUT_MS: 'off' });
    await expect.poll(off.out, { timeout: 15_000 }).toContain('Ctrl-C');
    expect(off.out()).toContain('Answer timeout off');
    off.kill();
    await Promise.all(['abc', '0', '-5', '1.5', ''].map(async (bad) => {
      const run = runServer({ PORT: '0', ANSWER_TIMEOUT_MS: bad });
      expect(await run.exit).toBe(1);
      expect(run.out()).toContain(`Expected ANSWER_TIMEOUT_MS to be a whole number of milliseconds >= 1, or off, got "${bad}"`);
    }));
  }, 30_000);
});
