import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyIdOf, LocalClientDirectory } from '../../lambdas/local/local-client-directory';

const ROOT = join(__dirname, '..', '..');
const workspace = mkdtempSync(join(tmpdir(), 'docpipe-clients-'));
const docpipe = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'docpipe.js'), 'clients', ...args], { cwd: ROOT, encoding: 'utf8' });
const directory = () => new LocalClientDirectory(join(workspace, 'api-keys'));

describe('docpipe clients (the keys of docpipe serve)', () => {
  it('adds a key shown once, lists it without its value, and revokes it', async () => {
    const added = docpipe('add', 'acme', '--workspace', workspace);
    expect(added.status).toBe(0);
    const { clientId, apiKey, apiKeyId } = JSON.parse(added.stdout);
    expect(clientId).toBe('acme');
    expect(apiKeyIdOf(apiKey)).toBe(apiKeyId);
    // The key works where `docpipe serve` looks it up.
    await expect(directory().clientIdForApiKey(apiKeyId)).resolves.toBe('acme');

    const listed = docpipe('list', '--workspace', workspace);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ clientId: 'acme', apiKeyId })]);
    expect(listed.stdout).not.toContain(apiKey);

    const revoked = docpipe('revoke', 'acme', '--workspace', workspace);
    expect([revoked.status, JSON.parse(revoked.stdout)]).toEqual([0, { clientId: 'acme', revoked: 1 }]);
    await expect(directory().clientIdForApiKey(apiKeyId)).resolves.toBeUndefined();
    // Nothing left to revoke: said, and exit 1.
    const again = docpipe('revoke', 'acme', '--workspace', workspace);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('acme held no active key');
  });

  it('revokes one key by its id, for a rotation', () => {
    const first = JSON.parse(docpipe('add', 'globex', '--workspace', workspace).stdout);
    const second = JSON.parse(docpipe('add', 'globex', '--workspace', workspace).stdout);
    const revoked = docpipe('revoke', 'globex', '--key', first.apiKeyId, '--workspace', workspace);
    expect(JSON.parse(revoked.stdout)).toEqual({ clientId: 'globex', apiKeyId: first.apiKeyId, revoked: 1 });
    const left = JSON.parse(docpipe('list', '--workspace', workspace).stdout).filter((k: { clientId: string }) => k.clientId === 'globex');
    expect(left.map((k: { apiKeyId: string }) => k.apiKeyId)).toEqual([second.apiKeyId]);
  });

  it('refuses bad client ids and bad option mixes as usage errors', () => {
    const bad = docpipe('add', '../acme', '--workspace', workspace);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(/^error INVALID_ARGUMENT: "..\/acme" is not a client id/)]);
    expect(docpipe('add', 'acme', '--workspace', workspace, '--aws-stack', 'Docpipe').status).toBe(2);
    expect(docpipe('list', '--region', 'eu-west-1').stderr).toContain('--region goes with --aws-stack');
    expect(docpipe('frobnicate').stderr).toContain('Unknown clients action');
  });
});
