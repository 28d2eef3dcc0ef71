// The vocabulary every layer shares. Pure and bundle-safe: workflow code imports it too, so nothing
// here may do I/O, read the clock or the environment, or import a project file outside domain/.
export * from './auth';
export * from './email';
export * from './errors';
export * from './events';
export * from './flows';
export * from './invites';
export * from './links';
export * from './policy';
export * from './reconcile';
export * from './search-attributes';
export * from './users';
export * from './values';
export * from './webhooks';
export * from './rbac';
export * from './api-keys';
