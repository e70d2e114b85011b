/**
 * The `docpipe` command line: one verb per job. Verbs load lazily (require, so that tsx's CommonJS loader handles
 * the TypeScript) and `docpipe normalize` does not pay for the OCR engine or the state-machine runner.
 */
import { isArgumentError, reportError } from '../lambdas/local/cli/io';

interface Verb {
  summary: string;
  load: () => Promise<{ run(args: string[]): Promise<number> }>;
}

const VERBS: Record<string, Verb> = {
  run: { summary: 'documents -> the whole pipeline on this machine: document JSON, table CSVs, signed webhooks, summary and cost', load: async () => require('../lambdas/local/cli/run') as typeof import('../lambdas/local/cli/run') },
  serve: { summary: 'docpipe as a local HTTP service: uploads, inbox folder, webhooks, status and exports', load: async () => require('../lambdas/local/cli/serve') as typeof import('../lambdas/local/cli/serve') },
  normalize: { summary: 'raw OCR responses -> docpipe.document JSON (and table CSVs with --out)', load: async () => require('../lambdas/local/cli/normalize') as typeof import('../lambdas/local/cli/normalize') },
  classify: { summary: 'page predictions (class, confidence, top 3, needsReview) for documents or raw OCR responses', load: async () => require('../lambdas/local/cli/classify') as typeof import('../lambdas/local/cli/classify') },
  clients: { summary: 'client API keys, locally or for a deployed stack (--aws-stack): add|list|revoke', load: async () => require('../lambdas/local/cli/clients') as typeof import('../lambdas/local/cli/clients') },
  webhooks: { summary: 'webhook endpoints, delivery log, dead letters and replay: add|list|rotate|enable|log|dead|replay', load: async () => require('../lambdas/local/cli/webhooks') as typeof import('../lambdas/local/cli/webhooks') },
};

function help(): string {
  const width = Math.max(...Object.keys(VERBS).map((verb) => verb.length));
  return ['usage: docpipe <verb> [options]', '', ...Object.entries(VERBS).map(([verb, { summary }]) => `  ${verb.padEnd(width)}  ${summary}`), ''].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...args] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(help());
    return verb ? 0 : 2;
  }
  const entry = VERBS[verb];
  if (!entry) {
    process.stderr.write(`error INVALID_ARGUMENT: unknown verb "${verb}"\n${help()}`);
    return 2;
  }
  try {
    return await (await entry.load()).run(args);
  } catch (error) {
    reportError(error);
    // Argument errors (from parseArgs or a verb) are usage errors: exit 2, as for an unknown verb.
    return isArgumentError(error) ? 2 : 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    reportError(error);
    process.exitCode = 1;
  },
);
