import { ulid } from 'ulid';

/** Medusa-style entity ids: `<prefix>_<ULID>` (user_, invite_, authid_, provid_, evt_). */
export const newId = (prefix: string): string => `${prefix}_${ulid()}`;
