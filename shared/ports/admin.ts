// Ports of the admin routes (issue 5 item 8): reading every user's account state and disabling one,
// and the platform-wide configuration (the global kill switch). These are the few cross-tenant
// reads and writes of the platform; only admin use cases (shared/app/admin/) call them.
import type { UserRole, UserStatus } from './auth-repositories.js';

/** What an admin sees of a user: never a hash, a secret or a token. */
export interface UserSummary {
  readonly userId: string;
  readonly email: string;
  readonly status: UserStatus;
  readonly role: UserRole;
  readonly createdAt: string;
  readonly totpEnabled: boolean;
}

export interface UserAdminRepository {
  /** One page of users, in no particular order; `cursor` is opaque. */
  list(options: {
    readonly limit: number;
    readonly cursor?: string | undefined;
  }): Promise<{ items: UserSummary[]; cursor?: string }>;
  /** Sets the status to disabled; false when the user does not exist or was already disabled. */
  disable(userId: string, at: string): Promise<boolean>;
  /** Grants or removes the admin role (operators only: the local CLI, or the cloud runbook). */
  setRole(userId: string, role: UserRole): Promise<boolean>;
}

export interface KillSwitchState {
  readonly on: boolean;
  readonly changedAt?: string;
  /** The admin who last flipped it. */
  readonly changedBy?: string;
}

/** The global kill switch: while on, no signal is fanned out to any account. */
export interface KillSwitchRepository {
  /** Off when never set. Read consistently: a flip is seen by the next fan-out. */
  get(): Promise<KillSwitchState>;
  set(state: Required<KillSwitchState>): Promise<void>;
}
