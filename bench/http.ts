import http from 'node:http';

// Keep-alive connections, unbounded in number: every simulated device or console has its own,
// so no call of one waits behind another's in the runner.
const agent = new http.Agent({ keepAlive: true });

export interface Reply {
  status: number;
  body: any;
}

/** A JSON call over a real socket; rejects only when the connection fails. */
export function call(base: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {};
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: unknown = text;
        try { body = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/** The same call, failing loudly unless it answers `status`: setup steps must not fail quietly. */
export async function expect(status: number, base: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<any> {
  const reply = await call(base, method, path, options);
  if (reply.status !== status) {
    throw new Error(`${method} ${path} answered ${reply.status}, expected ${status}: ${JSON.stringify(reply.body).slice(0, 300)}`);
  }
  return reply.body;
}

export function closeAgent(): void {
  agent.destroy();
}
