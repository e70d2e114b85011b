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
  // Editors on Windows save UTF-8 with a byte order mark, which JSON.parse refuses: it is no part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DocpipeError(ERROR_CODES.INVALID_JSON, `The file is not JSON (${oneLine((error as Error).message)}). Pass the raw JSON response of the OCR vendor.`, { cause: error });
  }
}

/**
 * JSON.parse quotes an excerpt of the input in its message, line breaks and all: escape them, so that the message
 * stays on its one `error <CODE>:` line, whole.
 */
function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f\u2028\u2029\ufeff]/g, (ch) =>
    ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
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

/** Most file systems take names of up to 255 bytes. */
const MAX_NAME_BYTES = 255;

/** `name` + `suffix`, the name cut (at a character) to `maxBytes` for the whole. */
function fitted(name: string, suffix: string, maxBytes: number): string {
  let cut = name;
  while (Buffer.byteLength(cut + suffix) > maxBytes) cut = [...cut].slice(0, -1).join('');
  return cut + suffix;
}

/**
 * One output name per input, in the order given: its own name, or for a later input of a name already given (or
 * `reserved`) `<name>-2`, `<name>-3`, ..., skipping the names other inputs have. Names are compared as a
 * case-insensitive file system would (macOS, Windows), and cut to fit `maxBytes` (255) with their suffix.
 */
export function uniqueOutputNames(names: readonly string[], { reserved = [], maxBytes = MAX_NAME_BYTES }: { reserved?: readonly string[]; maxBytes?: number } = {}): string[] {
  const natural = names.map((name) => fitted(name, '', maxBytes));
  const taken = new Set([...natural, ...reserved].map((name) => name.toLowerCase()));
  const given = new Set(reserved.map((name) => name.toLowerCase()));
  return names.map((stem, i) => {
    let name = natural[i];
    if (given.has(name.toLowerCase())) {
      let k = 2;
      while (taken.has(fitted(stem, `-${k}`, maxBytes).toLowerCase())) k++;
      name = fitted(stem, `-${k}`, maxBytes);
      taken.add(name.toLowerCase());
    }
    given.add(name.toLowerCase());
    return name;
  });
}
