/** E-mails are stored trimmed and lower-cased, so every comparison is case-insensitive. */
export const normalizeEmail = (value: string): string => value.trim().toLowerCase();
