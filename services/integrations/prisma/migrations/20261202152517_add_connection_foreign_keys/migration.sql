-- Rows whose connection is already gone (left by a sync, webhook, reconcile or close that
-- raced a disconnect or account deletion before these keys existed): nothing may be kept of a
-- removed connection, and the constraints below could not be added over them.
DELETE FROM "task_snapshot" s
WHERE NOT EXISTS (
    SELECT 1 FROM "connection" c WHERE c."user_id" = s."user_id" AND c."provider" = s."provider"
);

DELETE FROM "task_completion" t
WHERE NOT EXISTS (
    SELECT 1 FROM "connection" c WHERE c."user_id" = t."user_id" AND c."provider" = t."provider"
);

-- AddForeignKey
ALTER TABLE "task_snapshot" ADD CONSTRAINT "task_snapshot_user_id_provider_fkey" FOREIGN KEY ("user_id", "provider") REFERENCES "connection"("user_id", "provider") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_completion" ADD CONSTRAINT "task_completion_user_id_provider_fkey" FOREIGN KEY ("user_id", "provider") REFERENCES "connection"("user_id", "provider") ON DELETE CASCADE ON UPDATE CASCADE;
