import { AdminLayout } from "../AdminLayout";
import { CountryPlaces, type CountryPlacesProps } from "./fragments/CountryPlaces";

/** /admin-portal/places/:countryId: the country's regions and towns, and the forms that change them. */
export function CountryPage(props: CountryPlacesProps) {
  const { country } = props.places;
  return (
    <AdminLayout section="places" title={country.name}>
      <p>
        <a href="/admin-portal/places">All countries</a>
      </p>
      <div class="card">
        <dl class="facts">
          <dt>ISO code</dt>
          <dd>
            <code>{country.id}</code> <span class="muted">{country.alpha3}</span>
          </dd>
          <dt>Calling code</dt>
          <dd>+{country.callingCode}</dd>
          <dt>Block IDs</dt>
          <dd>
            <code>{`${country.callingCode}-<region>-<town>-<serial>`}</code>
          </dd>
        </dl>
      </div>
      <CountryPlaces {...props} />
    </AdminLayout>
  );
}
