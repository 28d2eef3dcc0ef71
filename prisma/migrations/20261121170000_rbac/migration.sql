-- AlterTable
ALTER TABLE "invite" ADD COLUMN "invited_by" TEXT;

-- CreateTable
CREATE TABLE "rbac_role" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "metadata" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "rbac_role_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rbac_policy" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "metadata" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "rbac_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rbac_role_policy" (
    "id" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    "policy_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rbac_role_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_rbac_role" (
    "user_id" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_rbac_role_pkey" PRIMARY KEY ("user_id","role_id")
);

-- CreateTable
CREATE TABLE "invite_rbac_role" (
    "invite_id" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invite_rbac_role_pkey" PRIMARY KEY ("invite_id","role_id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'secret',
    "redacted" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "revoked_by" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key_rbac_role" (
    "api_key_id" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_key_rbac_role_pkey" PRIMARY KEY ("api_key_id","role_id")
);

-- CreateIndex
CREATE INDEX "rbac_role_deleted_at_idx" ON "rbac_role"("deleted_at");

-- CreateIndex
CREATE UNIQUE INDEX "rbac_policy_key_key" ON "rbac_policy"("key");

-- CreateIndex
CREATE INDEX "rbac_role_policy_policy_id_idx" ON "rbac_role_policy"("policy_id");

-- CreateIndex
CREATE UNIQUE INDEX "rbac_role_policy_role_id_policy_id_key" ON "rbac_role_policy"("role_id", "policy_id");

-- CreateIndex
CREATE INDEX "user_rbac_role_role_id_idx" ON "user_rbac_role"("role_id");

-- CreateIndex
CREATE INDEX "invite_rbac_role_role_id_idx" ON "invite_rbac_role"("role_id");

-- CreateIndex
CREATE INDEX "api_key_redacted_idx" ON "api_key"("redacted");

-- CreateIndex
CREATE INDEX "api_key_rbac_role_role_id_idx" ON "api_key_rbac_role"("role_id");

-- A role name is unique among live roles (Medusa's partial unique index).
CREATE UNIQUE INDEX "rbac_role_name_live_key" ON "rbac_role"("name") WHERE "deleted_at" IS NULL;

-- Super Admin (*:*), as Medusa's initial data; the start-up sync restores it after every start.
INSERT INTO "rbac_role" ("id", "name", "description") VALUES ('role_super_admin', 'Super Admin', 'Every permission (*:*)');
INSERT INTO "rbac_policy" ("id", "key", "resource", "operation", "name") VALUES ('rpol_super_admin', '*:*', '*', '*', 'SuperAdmin');
INSERT INTO "rbac_role_policy" ("id", "role_id", "policy_id") VALUES ('rlpl_super_admin', 'role_super_admin', 'rpol_super_admin');

-- Upgrade path: RBAC is introduced here, once; every existing live user keeps the access they had
-- (everything), so an upgraded installation is not locked out.
INSERT INTO "user_rbac_role" ("user_id", "role_id") SELECT "id", 'role_super_admin' FROM "user" WHERE "deleted_at" IS NULL;
