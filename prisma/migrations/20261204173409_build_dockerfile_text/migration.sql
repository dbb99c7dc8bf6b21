-- AlterTable
ALTER TABLE "builds" ADD COLUMN     "dockerfile_text" TEXT;
