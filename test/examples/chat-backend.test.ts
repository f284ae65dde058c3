import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startChatServer } from '../../examples/chat-backend/backend.js';
import type { ChatServer, ClientMessage, ServerMessage } from '../../examples/chat-backend/backend.js';

// The example backend's protocol, spoken by plain WebSocket clients (no browser): what a tab is
// told when the router refuses something, and what the example itself refuses.
describe('example chat backend protocol', () => {
  let server: ChatServer;
  let sockets: WebSocket[] = [];

  beforeEach(async () => {
    server = await startChatServer({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    for (const socket of sockets) socket.terminate();
    sockets = [];
    await server.close();
  });

  /** A tab: sends messages and collects what the server answers. */
  async function tab(): Promise<{ send: (m: ClientMessage | Record<string, unknown>) => void; next: (type: ServerMessage['type']) => Promise<ServerMessage> }> {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
    sockets.push(socket);
    const received: ServerMessage[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as ServerMessage));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return {
      send: (m) => socket.send(JSON.stringify(m)),
      next: async (type) => {
        await expect.poll(() => received.some((m) => m.type === type), { timeout: 5_000 }).toBe(true);
        const i = received.findIndex((m) => m.type === type);
        return received.splice(i, 1)[0] as ServerMessage;
      },
    };
  }

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
    expect(await early.next('assigned')).toMatchObject({ agentId: 'pre-sales', reason: 'queue' });
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
    expect(await buyer.next('agent-left')).toEqual({ type: 'agent-left', agentId: 'agent-a' });
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
    expect(await buyer.next('assigned')).toMatchObject({ agentId: 'agent-b', reason: 'queue' });
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
});
