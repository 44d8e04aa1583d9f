import type { CheckoutPayment } from '@zakpos/contracts';

type CardTender = Extract<CheckoutPayment, { kind: 'card' }>;

/** A card payment as the sale records it. */
export interface CardRecord {
  provider: string;
  reference: string;
  approvalCode: string | null;
}

/**
 * Where card payments come from. ZakPOS never charges a card itself: the card terminal beside the register
 * does, and the register sends what it returned. A provider that talks to an acquirer's API (to check a
 * reference, or to capture) implements this same interface.
 */
export interface PaymentProvider {
  recordCardPayment(tender: CardTender): CardRecord;
}

export const PAYMENT_PROVIDER = Symbol('PaymentProvider');

/**
 * The standalone terminal: the cashier runs the card on the terminal, which approves or declines it; the
 * register sends the terminal's reference and approval code, recorded as given.
 */
export class StandaloneTerminalProvider implements PaymentProvider {
  recordCardPayment(tender: CardTender): CardRecord {
    return {
      provider: tender.provider ?? 'terminal',
      reference: tender.reference,
      approvalCode: tender.approvalCode ?? null,
    };
  }
}
