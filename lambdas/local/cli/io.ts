/** What every CLI verb shares: reading JSON inputs with typed errors, and the `error <CODE>: <message>` contract. */
import { readFileSync } from 'node:fs';
import { DocpipeError, ERROR_CODES, isDocpipeError } from '../../domain/errors';

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DocpipeError(ERROR_CODES.FILE_NOT_READABLE, `Cannot read the file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DocpipeError(ERROR_CODES.INVALID_JSON, `The file is not JSON (${(error as Error).message.split('\n')[0]}). Pass the raw JSON response of the OCR vendor.`, { cause: error });
  }
}

/** Prints an error the way every verb does; unknown errors get the code INTERNAL so that nothing is printed raw. */
export function reportError(error: unknown, subject?: string): void {
  const prefix = subject ? `${subject}: ` : '';
  if (isDocpipeError(error)) process.stderr.write(`error ${error.code}: ${prefix}${error.message}\n`);
  else if (isArgumentError(error)) process.stderr.write(`error INVALID_ARGUMENT: ${prefix}${(error as Error).message}\n`);
  else process.stderr.write(`error INTERNAL: ${prefix}${(error as Error)?.message ?? String(error)}\n`);
}

export class UsageError extends DocpipeError {
  constructor(message: string) {
    super(ERROR_CODES.INVALID_ARGUMENT, message);
  }
}

/** node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options. */
export function isArgumentError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return isDocpipeError(error) ? error.code === ERROR_CODES.INVALID_ARGUMENT : typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
