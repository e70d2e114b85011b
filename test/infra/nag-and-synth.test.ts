/**
 * cdk-nag's AWS Solutions checks run inside every synth of the app, and the real `npx cdk synth` works offline on a
 * clean checkout (bundling every function with the local esbuild, no Docker, no notices, no telemetry).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_CONTEXT, buildApp } from '../../bin/app';

const ROOT = join(__dirname, '..', '..');

describe('cdk-nag', () => {
  it('a finding nobody acknowledged fails the synth, naming the rule', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'docpipe-nag-'));
    try {
      const app = new App({ outdir, context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
      // An unencrypted queue slipped into the stack.
      const stacks: Stack[] = [];
      buildApp(app).node.children.forEach((child) => child instanceof Stack && stacks.push(child));
      new sqs.Queue(stacks.find((s) => s.stackName === 'Docpipe')!, 'Careless', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      let report = '';
      try {
        app.synth();
      } catch (error) {
        report = (error as Error).message;
      }
      expect(report).toContain('AwsSolutions-SQS2');
      // Only the careless queue is reported: everything docpipe builds passes or is acknowledged with a reason.
      const violating = [...report.matchAll(/^\s+(\S+) aws-cdk-lib\./gm)].map((m) => m[1]);
      expect(violating.length).toBeGreaterThan(0);
      expect([...new Set(violating)]).toEqual(['Docpipe/Careless/Resource']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('every acknowledgement carries a reason', () => {
    const app = buildApp(new App({ context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } }));
    const reasons: { id: string; reason: string }[] = [];
    const visit = (node: typeof app.node): void => {
      // Recorded as metadata { "<rule id>": "<reason>" } on the construct that acknowledged it.
      for (const entry of node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')) reasons.push(...Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason })));
      node.children.forEach((child) => visit(child.node));
    };
    visit(app.node);
    expect(reasons.length).toBeGreaterThan(10);
    for (const { id, reason } of reasons) expect([id, reason.length > 20]).toEqual([id, true]);
  });
});

describe('npx cdk synth', () => {
  it('works offline: both stacks, every function bundled by esbuild, no notices', () => {
    const out = mkdtempSync(join(tmpdir(), 'docpipe-synth-'));
    try {
      const result = spawnSync('npx', ['cdk', 'synth', '-q', '--no-notices', '-o', out], {
        cwd: ROOT,
        encoding: 'utf8',
        // No credentials and no network: nothing may be looked up or downloaded.
        env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true' },
        timeout: 240_000,
      });
      expect(result.stderr).not.toMatch(/AwsSolutions-|ERROR|NOTICES/);
      expect(result.status).toBe(0);
      expect(existsSync(join(out, 'Docpipe.template.json'))).toBe(true);
      expect(existsSync(join(out, 'DocpipePageModel.template.json'))).toBe(true);
      const bundles = readdirSync(out).filter((name) => name.startsWith('asset.') && existsSync(join(out, name, 'index.js')));
      expect(bundles).toHaveLength(10); // the 10 docpipe functions (CDK's own notification handler is inline)
      const sizes = bundles.map((bundle) => statSync(join(out, bundle, 'index.js')).size).sort((a, b) => a - b);
      for (const size of sizes) expect(size).toBeGreaterThan(1000);
      // Each function carries only the ports it uses (lambdas/handlers/pipeline-deps.ts): the bundle goals.
      expect(sizes[sizes.length - 1]).toBeLessThan(1024 * 1024);
      expect(sizes[sizes.length >> 1]).toBeLessThan(300 * 1024);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 240_000);
});
