import * as iso4217 from 'dinero.js/currencies';
import { PricingError } from './errors.js';

interface CurrencyDefinition {
  readonly code: string;
  readonly base: number | readonly number[];
  readonly exponent: number;
}

const definitions: Readonly<Record<string, CurrencyDefinition>> = iso4217;

/** The number of decimals of an ISO 4217 currency (JPY 0, EUR 2, KWD 3), from dinero.js's maintained table. */
export function currencyExponent(code: string, field = 'currency'): number {
  const definition = Object.hasOwn(definitions, code) ? definitions[code] : undefined;
  if (definition === undefined || definition.base !== 10) {
    throw new PricingError('UNKNOWN_CURRENCY', field, `"${code}" is not a decimal ISO 4217 currency`);
  }
  return definition.exponent;
}
