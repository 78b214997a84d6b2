import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../../config/index.js';
import { buildListQuery, type ListQuery, type ListQueryInput } from './list-query.js';
import type { QuerySpec } from './query-spec.js';

/** A list query with the server-side time limit every list query and count carries. */
export interface BoundedListQuery extends ListQuery {
  maxTimeMS: number;
}

/** Builds list queries for any resource from its QuerySpec; provided by QueryModule. */
@Injectable()
export class ListQueryBuilder {
  /** The server-side time limit of list queries (QUERY_MAX_TIME_MS). */
  readonly maxTimeMS: number;

  constructor(config: ConfigService<Environment, true>) {
    this.maxTimeMS = config.get('QUERY_MAX_TIME_MS', { infer: true });
  }

  build(spec: QuerySpec, input: ListQueryInput): BoundedListQuery {
    return { ...buildListQuery(spec, input), maxTimeMS: this.maxTimeMS };
  }
}
