import type { UsermodClient } from '../client';
import type { Store } from '../store';

/** What a service is made of, for usermod's own embeddable pieces (the fastify plugin); not exported. */
export interface ServiceParts {
  usermod: UsermodClient;
  store: Store;
}

const PARTS = Symbol('usermod service parts');

export function attachParts<T extends object>(service: T, parts: ServiceParts): T {
  return Object.defineProperty(service, PARTS, { value: parts, enumerable: false });
}

export function partsOf(service: object): ServiceParts {
  const parts = (service as { [PARTS]?: ServiceParts })[PARTS];
  if (!parts) throw new TypeError('not a usermod service: make it with createUsermodService()');
  return parts;
}
