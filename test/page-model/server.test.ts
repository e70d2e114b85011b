import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { loadModelArtifact } from '../../lambdas/local/in-process-page-model';
import { createModelServer } from '../../model/server';

describe('the inference server (SageMaker custom-container contract)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createModelServer(loadModelArtifact(), { maxBodyBytes: 64 * 1024 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (body: string) => fetch(`${base}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers /ping with 200 once the model is loaded', async () => {
    const res = await fetch(`${base}/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', modelVersion: loadModelArtifact().version });
  });

  it('predicts pages in the common format and plain text pages', async () => {
    const page = normalizeTextract(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'documents', 'receipt.jpg.textract.json'), 'utf8'))).pages[0];
    const slim = { ...page, words: [], lines: page.lines.map((l) => ({ ...l, wordIds: [] })), regions: [] };
    const res = await post(JSON.stringify({ pages: [slim, { text: 'EARNINGS STATEMENT\nGross Pay $2,100.00\nNet Pay $1,650.20\nFederal Income Tax 210.00\nPay Date 07/25/2024' }] }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.predictions.map((p: { label: string }) => p.label)).toEqual(['receipt', 'paystub']);
  });

  it.each([
    ['not JSON', '{"pages": [', 400, 'INVALID_JSON'],
    ['no pages', '{"pages": []}', 400, 'INVALID_REQUEST'],
    ['wrong shape', '{"documents": 1}', 400, 'INVALID_REQUEST'],
    ['a page that is not a page', '{"pages": [{"number": "one"}]}', 400, 'INVALID_REQUEST'],
  ])('answers %s with %i and a clear message', async (_name, body, status, code) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    const answer = await res.json();
    expect(answer.error.code).toBe(code);
    expect(answer.error.message.length).toBeGreaterThan(20);
  });

  it('answers an oversize request with 413, and keeps serving', async () => {
    const res = await post(JSON.stringify({ pages: [{ text: 'x '.repeat(40_000) }] }));
    expect(res.status).toBe(413);
    expect((await fetch(`${base}/ping`)).status).toBe(200);
  });

  it('answers unknown routes with 404', async () => {
    expect((await fetch(`${base}/predict`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
