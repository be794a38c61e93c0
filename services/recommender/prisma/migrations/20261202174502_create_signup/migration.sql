-- CreateTable
CREATE TABLE "signup" (
    "user_id" TEXT NOT NULL,
    "signed_up_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "signup_pkey" PRIMARY KEY ("user_id")
);

-- CreateIndex
CREATE INDEX "signup_signed_up_at_idx" ON "signup"("signed_up_at");
