/**
 * MarkFailed: every error of both state machines ends here. The document gets status `failed` with the reason (a
 * stable code and a message that says what to do), `document.failed` goes out, and the original stays where it was.
 * A document already in a final status keeps it (a duplicate run failing must not undo a finished one). One already
 * `failed` is announced again with its recorded reason: that is a retry of this step whose announcing failed
 * transiently after the status was written, and announcing again is idempotent (notify.ts).
 */
import { FINAL_STATUSES, type DocumentRecord, type DocumentStatus } from '../../ports/document-table';
import { isDocpipeError } from '../errors';
import type { PipelineDeps } from './deps';
import { PIPELINE_ERRORS } from './errors';
import { announce } from './notify';
import type { CaughtError, DeliveriesOutput, FailedDocument } from './state';

const STABLE_CODE = /^[A-Z][A-Z0-9_]+$/;

/** The reason from a Catch output: our code as the error name, the message from the Lambda's JSON cause. */
export function reasonOf(failure: CaughtError): { code: string; message: string } {
  let message = failure.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // A plain-text cause: keep it.
  }
  if (STABLE_CODE.test(failure.Error)) return { code: failure.Error, message: message || failure.Error };
  if (failure.Error === 'States.Timeout' || failure.Error === 'States.HeartbeatTimeout') return { code: PIPELINE_ERRORS.TASK_TIMEOUT, message: `A step did not answer in time (${failure.Error}). Send the document again; if it keeps happening, report it.` };
  return { code: PIPELINE_ERRORS.INTERNAL_ERROR, message: `${failure.Error}: ${message}`.slice(0, 1000) };
}

export async function markFailed(deps: PipelineDeps, input: FailedDocument): Promise<DeliveriesOutput> {
  const reason = reasonOf(input.failure);
  const open: DocumentStatus[] = ['received', 'processing'];
  let record = await deps.table.get(input.documentId);
  if (record?.status === 'failed') return announceFailure(deps, record, reason);
  if (record && FINAL_STATUSES.includes(record.status)) return { deliveries: [] };
  if (!record) {
    const now = (deps.now ?? (() => new Date()))().toISOString();
    const key = typeof input.key === 'string' ? input.key : '';
    const version = typeof input.version === 'string' ? input.version : '';
    await deps.table.create({ documentId: input.documentId, clientId: input.clientId, status: 'processing', sourceKey: key, sourceVersion: version, createdAt: now, updatedAt: now });
  }
  try {
    record = await deps.table.update(input.documentId, { status: 'failed', reason, taskToken: undefined }, { expectedStatus: open });
  } catch (error) {
    if (isDocpipeError(error) && error.code === 'DOCUMENT_STATUS_CONFLICT') {
      const current = await deps.table.get(input.documentId);
      return current?.status === 'failed' ? announceFailure(deps, current, reason) : { deliveries: [] };
    }
    throw error;
  }
  return announceFailure(deps, record, reason);
}

async function announceFailure(deps: PipelineDeps, record: DocumentRecord, fallback: { code: string; message: string }): Promise<DeliveriesOutput> {
  const { deliveries } = await announce(deps, {
    type: 'document.failed',
    documentId: record.documentId,
    clientId: record.clientId,
    clientReference: record.clientReference,
    pageCount: record.pageCount ?? 0,
    // What was recorded, and when: every try announces the same failure.
    error: record.reason ?? fallback,
    timestamp: new Date(record.updatedAt),
  });
  return { deliveries };
}
