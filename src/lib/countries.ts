// The country list comes from two well-kept dataset packages rather than being typed by hand:
// i18n-iso-countries says which codes ISO 3166-1 assigns (alpha-2, alpha-3, numeric), and
// countries-list gives each its English short name and E.164 calling code.
import { countries as countryFacts } from "countries-list";
import isoCodes from "i18n-iso-countries/codes.json";

export interface Country {
  id: string;
  alpha3: string;
  numeric: string;
  name: string;
  callingCode: string;
}

type Facts = { name: string; phone: number[]; userAssigned?: boolean };

/** Every ISO 3166-1 country with a calling code, by name. User-assigned codes (XK) are not ISO's. */
export const COUNTRIES: readonly Country[] = (isoCodes as string[][])
  .flatMap(([alpha2, alpha3, numeric]) => {
    const facts = (countryFacts as Record<string, Facts | undefined>)[alpha2!];
    if (!facts || facts.userAssigned || facts.phone.length === 0) return [];
    return [{ id: alpha2!, alpha3: alpha3!, numeric: numeric!, name: facts.name, callingCode: String(facts.phone[0]) }];
  })
  .sort((a, b) => a.name.localeCompare(b.name, "en"));

const byId = new Map(COUNTRIES.map((country) => [country.id, country]));

export function findCountry(id: string): Country | undefined {
  return byId.get(id.toUpperCase());
}
