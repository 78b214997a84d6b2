import type { Model, PipelineStage, QueryFilter } from 'mongoose';
import type { BoundedListQuery } from './list-query.builder.js';

/**
 * One window of records and the size of the whole filtered set, queried concurrently, both with
 * the server-side time limit. The window is an aggregation ($match, $sort, $skip, $limit, then
 * $project) so that field selection happens in the database on every engine (jongodb ignores a
 * find's projection); MongoDB runs it on the same indexes as the equivalent find. Results are
 * plain objects (no document hydration). `query` was built from a QuerySpec's allow-list;
 * `scope` (e.g. one job's pages) is the repository's own condition, ANDed with it.
 */
export async function runListQuery<T, R>(
  model: Model<T>,
  query: BoundedListQuery,
  scope?: QueryFilter<T>,
): Promise<{ items: Partial<R>[]; total: number }> {
  const constrained = scope && Object.keys(query.filter).length > 0;
  const filter = (
    constrained ? { $and: [scope, query.filter] } : (scope ?? query.filter)
  ) as QueryFilter<T>;
  const pipeline: PipelineStage[] = [
    { $match: filter },
    { $sort: query.sort },
    { $skip: query.skip },
    { $limit: query.limit },
    ...(query.projection ? [{ $project: query.projection }] : []),
  ];
  const [items, total] = await Promise.all([
    model.aggregate<Partial<R>>(pipeline).option({ maxTimeMS: query.maxTimeMS }).exec(),
    model.countDocuments(filter).maxTimeMS(query.maxTimeMS).exec(),
  ]);
  return { items, total };
}
