/**
 * Talking to a real server process over HTTP, as the office and a kiosk would.
 */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  return /gp_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
}

export async function jsonFetch<T>(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(url, {
    ...rest,
    headers,
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Enrolls a kiosk through the office API; returns its bearer header. */
export async function enrollOverHttp(baseUrl: string, session: string, communityId = 1) {
  const code = await jsonFetch<{ code: string }>(
    `${baseUrl}/api/communities/${communityId}/devices/enrollments`,
    {
      method: 'POST',
      headers: { cookie: `gp_session=${session}` },
      json: { name: '东门' },
    },
  );
  const enrolled = await jsonFetch<{ token: string; deviceId: string }>(`${baseUrl}/api/enroll`, {
    method: 'POST',
    json: { code: code.body.code },
  });
  return {
    deviceId: enrolled.body.deviceId,
    auth: { authorization: `Bearer ${enrolled.body.token}` },
  };
}
