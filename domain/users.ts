export type Metadata = Record<string, unknown>;

/** A user as every layer above the store sees it: plain JSON, dates as ISO strings. */
export interface UserDTO {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  avatar_url: string | null;
  metadata: Metadata | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** A user to create; a flow decides its id before writing it. */
export interface NewUser {
  email: string;
  first_name?: string | null;
  last_name?: string | null;
  avatar_url?: string | null;
  metadata?: Metadata | null;
}

/** What the store creates: a new user with the id its flow decided (`user_<ULID>`), or one made up. */
export interface CreateUserInput extends NewUser {
  id?: string;
}

/** The updatable fields of a user (the e-mail is not). */
export interface UserUpdate {
  id: string;
  first_name?: string | null;
  last_name?: string | null;
  avatar_url?: string | null;
  metadata?: Metadata | null;
}

export interface UserFilters {
  id?: string | string[];
  email?: string | string[];
  /** Free text over first_name, last_name and email (case-insensitive substring). */
  q?: string;
}
