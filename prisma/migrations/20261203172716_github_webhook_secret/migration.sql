-- AlterTable
ALTER TABLE "orgs" ADD COLUMN     "github_webhook_secret" TEXT;
