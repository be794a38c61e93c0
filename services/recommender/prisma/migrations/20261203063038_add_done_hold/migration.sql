-- AlterEnum
ALTER TYPE "task_hold_reason" ADD VALUE 'done';
