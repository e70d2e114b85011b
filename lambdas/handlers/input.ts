/** Handler input parsing: a zod failure becomes INPUT_INVALID with the first problems, never a retry-worthy crash. */
import type * as z from 'zod';
import { DocpipeError } from '../domain/errors';

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, handler: string): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
  throw new DocpipeError('INPUT_INVALID', `${handler} received input it cannot use: ${problems.join('; ')}.`, { details: { issues: problems } });
}
