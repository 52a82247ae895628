// The bench seeders' way into the running server: JSON calls with the bench user's bearer token (and an Origin,
// as a browser would send); anything but 2xx throws with the answer.
export function apiClient(appUrl: string, token: string) {
  return async function call(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${appUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: appUrl }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
}
