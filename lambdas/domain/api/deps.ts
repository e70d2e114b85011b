/** What the client API needs: ports only, so the same router runs in the Lambda and in `docpipe serve`. */
import type { DocumentTable } from '../../ports/document-table';
import type { EndpointRegistry } from '../../ports/endpoint-registry';
import type { ObjectStore } from '../../ports/object-store';
import type { Secrets } from '../../ports/secrets';
import type { GuardOptions } from '../webhooks/guard';

export interface ApiDeps {
  store: ObjectStore;
  table: DocumentTable;
  endpoints: EndpointRegistry;
  secrets: Secrets;
  /** The SSRF guard's options: `{ local: true }` for `docpipe serve`, none in the cloud. */
  guard?: GuardOptions;
  /** Lifetime of upload URLs, s. Default 900. */
  uploadUrlSeconds?: number;
  /** Lifetime of the export links in a document's status, s. Default 3600. */
  exportUrlSeconds?: number;
  /** Endpoints a client may have. Default 20. */
  maxEndpointsPerClient?: number;
  now?: () => Date;
}
