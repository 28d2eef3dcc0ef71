import { notFound, type CreateUserInput, type Store, type UserDTO } from '../store';

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

    /** The users an update or delete starts from (the snapshot its compensation puts back). */
    async usersForUpdate(ids: string[]): Promise<UserDTO[]> {
      const found = await store.listUsers({ id: ids }, { limit: ids.length });
      const missing = ids.find((id) => !found.some((u) => u.id === id));
      if (missing) throw notFound(`User with id "${missing}" not found`);
      return ids.map((id) => found.find((u) => u.id === id)!);
    },

    updateUsers: store.updateUsers,
    restoreUserFields: store.restoreUserSnapshots,
    softDeleteUsers: store.softDeleteUsers,
    restoreUsers: store.restoreUsers,

    /** Compensation for createUsers: hard-deletes exactly these ids; a no-op for ids never created. */
    async deleteUsers(ids: string[]): Promise<void> {
      await store.deleteUsers(ids);
    },
  };
}
