import { invalidData } from '../domain';

export interface ListConfig {
  limit?: number;
  offset?: number;
  /** Medusa style: `created_at`, `-created_at` (descending), or `{ created_at: 'DESC' }`. */
  order?: string | Record<string, 'ASC' | 'DESC' | 'asc' | 'desc'>;
  withDeleted?: boolean;
}

export const DEFAULT_LIMIT = 50;

/** Turn a ListConfig into Prisma paging/ordering, refusing fields that cannot be sorted on. */
export function pagingArgs(config: ListConfig, sortable: readonly string[]) {
  const order: Record<string, 'asc' | 'desc'>[] = [];
  const add = (field: string, dir: 'asc' | 'desc') => {
    if (!sortable.includes(field)) {
      throw invalidData(`Invalid order field '${field}'; expected one of: ${sortable.join(', ')}`);
    }
    order.push({ [field]: dir });
  };
  if (typeof config.order === 'string') {
    for (const part of config.order
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (part.startsWith('-')) add(part.slice(1), 'desc');
      else add(part, 'asc');
    }
  } else if (config.order) {
    for (const [field, dir] of Object.entries(config.order)) add(field, dir.toLowerCase() === 'desc' ? 'desc' : 'asc');
  }
  // A stable tiebreak so paging never repeats or skips rows.
  order.push({ id: 'asc' });
  if (config.limit !== undefined && (!Number.isInteger(config.limit) || config.limit < 0)) {
    throw invalidData(`Invalid limit '${config.limit}'; expected a non-negative integer`);
  }
  if (config.offset !== undefined && (!Number.isInteger(config.offset) || config.offset < 0)) {
    throw invalidData(`Invalid offset '${config.offset}'; expected a non-negative integer`);
  }
  return { take: config.limit ?? DEFAULT_LIMIT, skip: config.offset ?? 0, orderBy: order };
}

export const asArray = <T>(v: T | T[] | undefined): T[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v : [v];
