import type { SessionChangedPayload } from '@zakpos/contracts';
import type { NewEvent } from './outbox.js';

function sessionEvent(type: 'session.opened' | 'session.closed', payload: SessionChangedPayload): NewEvent {
  return { type, aggregateType: 'cash_session', aggregateId: payload.sessionId, payload };
}

/** `session.opened`: a register's cash session began. */
export function sessionOpened(payload: SessionChangedPayload): NewEvent {
  return sessionEvent('session.opened', payload);
}

/** `session.closed`: a register's cash session was counted and closed. */
export function sessionClosed(payload: SessionChangedPayload): NewEvent {
  return sessionEvent('session.closed', payload);
}
