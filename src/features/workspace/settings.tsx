import type { TabRenderer } from "./tab-content";

/** The settings tab (admins): the business's name and description. */
export const settingsTab: TabRenderer = async (_c, { business }) => (
  <section class="card">
    <h2>{business.name}</h2>
    <p>{business.description}</p>
  </section>
);
