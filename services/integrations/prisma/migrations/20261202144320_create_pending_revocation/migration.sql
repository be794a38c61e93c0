-- CreateTable
CREATE TABLE "pending_revocation" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "token_ciphertext" BYTEA NOT NULL,
    "token_iv" BYTEA NOT NULL,
    "token_key_id" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_revocation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pending_revocation_next_attempt_at_idx" ON "pending_revocation"("next_attempt_at");
