/** withObservability: how a handler's errors leave it, so that the state machines' Retry and Catch can match them. */
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DocpipeError } from '../../lambdas/domain/errors';
import { AWS_UNAVAILABLE, withObservability } from '../../lambdas/handlers/observability';
import { loadOnce } from '../../lambdas/handlers/pipeline-deps';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const quiet = () => jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

describe('withObservability', () => {
  afterEach(() => jest.restoreAllMocks());

  it('a DocpipeError leaves named by its code, its message in the log line as `reason`', async () => {
    const out = quiet();
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true); // WARN lines go to stderr
    const handler = withObservability('t', async () => {
      throw new DocpipeError('OCR_THROTTLED', 'slow down', { retryable: true });
    });
    await expect(handler({})).rejects.toMatchObject({ name: 'OCR_THROTTLED', message: 'slow down' });
    // Powertools drops a key named `message` (its own): the error's words must reach the log under another one.
    const written = [...out.mock.calls, ...err.mock.calls].map(([chunk]) => String(chunk)).join('');
    const lines = written.split('\n').filter((l) => l.includes('"t failed"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'WARN', code: 'OCR_THROTTLED', reason: 'slow down' });
  });

  it('a throttled or failing AWS call leaves as AWS_UNAVAILABLE, which every state machine retries', async () => {
    quiet();
    const handler = withObservability('t', async () => {
      throw new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: { httpStatusCode: 400 } });
    });
    await expect(handler({})).rejects.toMatchObject({ name: AWS_UNAVAILABLE });
    for (const file of ['extraction', 'export', 'webhook-delivery']) {
      const asl = readFileSync(join(__dirname, '..', '..', 'state-machines', `${file}.asl.json`), 'utf8');
      expect([file, asl.includes(`"${AWS_UNAVAILABLE}"`)]).toEqual([file, true]);
    }
  });

  it('anything else leaves as it is (a bug: Catch sends it to MarkFailed as INTERNAL_ERROR)', async () => {
    quiet();
    const handler = withObservability('t', async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'pages')");
    });
    await expect(handler({})).rejects.toMatchObject({ name: 'TypeError' });
  });
});

describe('loadOnce (the AWS wiring of a function)', () => {
  it('builds once and shares it; a failed start is not kept, the next call builds again', async () => {
    let builds = 0;
    const load = loadOnce(async () => {
      builds++;
      if (builds === 1) throw new Error('SDK load throttled');
      return { built: builds };
    });
    await expect(load()).rejects.toThrow('SDK load throttled');
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(b);
    expect(await load()).toEqual({ built: 2 });
    expect(builds).toBe(2);
  });
});
