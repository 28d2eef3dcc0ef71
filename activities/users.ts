import type { CreateUserInput, Store, UserDTO } from '../store';

export function userActivities(store: Store) {
  return {
    /**
     * Idempotent under retries: ids come from the workflow, so when an earlier attempt committed
     * (and only its completion was lost) the rows are already there and are returned as they are.
     */
    async createUsers(users: (CreateUserInput & { id: string })[]): Promise<UserDTO[]> {
      const ids = users.map((u) => u.id);
      const existing = await store.listUsers({ id: ids }, { withDeleted: true, limit: ids.length });
      if (existing.length === ids.length) return ids.map((id) => existing.find((u) => u.id === id)!);
      return store.createUsers(users);
    },

    /** Compensation for createUsers: hard-deletes exactly these ids; a no-op for ids never created. */
    async deleteUsers(ids: string[]): Promise<void> {
      await store.deleteUsers(ids);
    },
  };
}
