import { DomainError } from '../common/errors/domain-error.js';

export const cashSessionAlreadyOpen = () =>
  new DomainError('CASH_SESSION_OPEN', 'the register already has an open cash session');

export const noOpenCashSession = () =>
  new DomainError('NO_OPEN_CASH_SESSION', 'the register has no open cash session: open one first');

export const cashSessionClosed = () => new DomainError('CASH_SESSION_CLOSED', 'the cash session is closed');
