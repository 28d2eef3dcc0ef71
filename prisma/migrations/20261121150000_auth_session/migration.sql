-- CreateTable
CREATE TABLE "auth_session" (
    "id" TEXT NOT NULL,
    "auth_identity_id" TEXT NOT NULL,
    "credential_fingerprint" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auth_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "auth_session_auth_identity_id_idx" ON "auth_session"("auth_identity_id");

-- CreateIndex
CREATE INDEX "auth_session_expires_at_idx" ON "auth_session"("expires_at");
