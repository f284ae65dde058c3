import { expected } from '../errors.js';
import { isTime, TIME_EXPECTED } from '../validate.js';
import type { ConversationEvent, ConversationEventType } from './events.js';

/** The largest payment an event may carry: sums of many stay finite. */
const MAX_AMOUNT = 1e15;

const EVENT_TYPES: ReadonlySet<string> = new Set<ConversationEventType>([
  'consultation', 'assigned', 'customer-message', 'agent-reply', 'auto-reply', 'robot-reply',
  'transfer', 'end', 'order-placed', 'order-paid',
]);

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Checks one event's shape before anything reads it, so a malformed event is reported by index
 * and field and nothing after it is counted.
 */
export function validateEvent(raw: unknown, index: number, previousAt: number, asOf: number | undefined): ConversationEvent {
  const at = `events[${index}]`;
  if (typeof raw !== 'object' || raw === null) throw expected('INVALID_EVENT', at, 'an object', raw);
  const event = raw as Record<string, unknown>;
  const type = event['type'];
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
    throw expected('INVALID_EVENT', `${at}.type`, `one of ${[...EVENT_TYPES].map((t) => `'${t}'`).join(', ')}`, type);
  }
  const time = event['at'];
  if (!isTime(time)) throw expected('INVALID_EVENT', `${at}.at`, TIME_EXPECTED, time);
  // Rejecting rather than sorting keeps one pass and O(in-flight) memory, and surfaces a broken
  // log instead of silently reordering replies before the messages they answer.
  if (time < previousAt) {
    throw expected('INVALID_EVENT', `${at}.at`, `at least ${previousAt} (the time of events[${index - 1}]): events must be in time order`, time);
  }
  if (asOf !== undefined && time > asOf) throw expected('INVALID_EVENT', `${at}.at`, `at most ${asOf} (options.asOf)`, time);
  if (!isId(event['customerId'])) throw expected('INVALID_EVENT', `${at}.customerId`, 'a non-empty string', event['customerId']);
  const id = (field: string): void => {
    if (!isId(event[field])) throw expected('INVALID_EVENT', `${at}.${field}`, 'a non-empty string', event[field]);
  };
  switch (type as ConversationEventType) {
    case 'consultation':
      if (event['filtered'] !== undefined && typeof event['filtered'] !== 'boolean') {
        throw expected('INVALID_EVENT', `${at}.filtered`, 'a boolean or undefined', event['filtered']);
      }
      break;
    case 'assigned':
      if (event['robot'] === true) {
        if (event['agentId'] !== undefined) throw expected('INVALID_EVENT', `${at}.agentId`, 'undefined with `robot: true`', event['agentId']);
        if (event['groupId'] !== undefined) throw expected('INVALID_EVENT', `${at}.groupId`, 'undefined with `robot: true`', event['groupId']);
      } else {
        if (event['robot'] !== undefined && event['robot'] !== false) throw expected('INVALID_EVENT', `${at}.robot`, 'a boolean or undefined', event['robot']);
        if (!isId(event['agentId'])) throw expected('INVALID_EVENT', `${at}.agentId`, 'a non-empty string (or `robot: true`)', event['agentId']);
        if (event['groupId'] !== undefined) id('groupId');
      }
      break;
    case 'agent-reply':
      id('agentId');
      break;
    case 'auto-reply':
      if (event['agentId'] !== undefined) id('agentId');
      break;
    case 'transfer':
      id('fromAgentId');
      id('toAgentId');
      break;
    case 'order-placed':
      id('orderId');
      break;
    case 'order-paid': {
      id('orderId');
      const amount = event['amount'];
      if (typeof amount !== 'number' || !(amount >= 0 && amount <= MAX_AMOUNT)) throw expected('INVALID_EVENT', `${at}.amount`, `a number in [0, ${MAX_AMOUNT}]`, amount);
      const units = event['units'];
      if (typeof units !== 'number' || !Number.isSafeInteger(units) || units < 0) throw expected('INVALID_EVENT', `${at}.units`, 'an integer >= 0', units);
      break;
    }
    case 'customer-message':
    case 'robot-reply':
    case 'end':
      break;
  }
  return raw as ConversationEvent;
}
