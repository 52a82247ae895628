/** An amount in minor units of a currency, for people: formatMoney(2900, "usd") → "$29.00". */
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(minor / 100);
}
