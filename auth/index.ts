// Tokens and passwords: invite, reset and session tokens (one HS256 helper, an audience per kind),
// scrypt password hashes, and the login checks built on them.
export * from './emailpass';
export * from './invite-token';
export * from './jwt';
export * from './password';
export * from './reset-token';
export * from './session-token';
export * from './api-key';
