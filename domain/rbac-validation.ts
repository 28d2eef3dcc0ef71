// zod schemas of the RBAC inputs (issue 12), shared by the client and the routes. Like validation.ts,
// not re-exported from domain/index.ts: workflow code must not bundle zod.
import { z } from 'zod';
import { metadata } from './validation';

export const roleNameField = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(255, { error: 'must be at most 255 characters' });
export const roleDescriptionField = z.string().max(1000, { error: 'must be at most 1000 characters' }).nullish();

const id = z.string().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' });
/** A list of ids to grant or remove: 1 to 100 of them. */
export const idList = z
  .array(id)
  .min(1, { error: 'must name at least one id' })
  .max(100, { error: 'must name at most 100 ids' });

export const newRoleBody = z.strictObject({
  name: roleNameField,
  description: roleDescriptionField,
  metadata,
});

export const roleUpdateBody = z.strictObject({
  name: roleNameField.optional(),
  description: roleDescriptionField,
  metadata,
});
