-- CreateTable
CREATE TABLE "undo_record" (
    "id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "undo_record_pkey" PRIMARY KEY ("id")
);
