// A join button for the video calls people paste into events: Google Meet, Zoom and Microsoft Teams links are
// recognised in the event's link, location or description (the first https link of a known host wins).
export type Conference = { provider: "Google Meet" | "Zoom" | "Microsoft Teams"; url: string };

const HOSTS: [RegExp, Conference["provider"]][] = [
  [/^meet\.google\.com$/, "Google Meet"],
  [/^([a-z0-9-]+\.)*zoom\.us$/, "Zoom"],
  [/^([a-z0-9-]+\.)*zoomgov\.com$/, "Zoom"],
  [/^teams\.microsoft\.com$/, "Microsoft Teams"],
  [/^teams\.live\.com$/, "Microsoft Teams"],
];

function recognise(text: string): Conference | null {
  for (const match of text.matchAll(/https:\/\/[^\s<>"')\]]+/gi)) {
    let url: URL;
    try {
      url = new URL(match[0]);
    } catch {
      continue;
    }
    if (url.username || url.password || url.port) continue;
    const host = url.hostname.toLowerCase();
    const known = HOSTS.find(([pattern]) => pattern.test(host));
    if (known && url.pathname.length > 1) return { provider: known[1], url: url.href };
  }
  return null;
}

export function conferenceOf(event: { url: string; location: string; description: string }): Conference | null {
  return recognise(event.url) ?? recognise(event.location) ?? recognise(event.description);
}
