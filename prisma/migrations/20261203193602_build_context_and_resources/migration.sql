-- AlterTable
ALTER TABLE "builds" ADD COLUMN     "context_bytes" BIGINT,
ADD COLUMN     "context_file_count" INTEGER,
ADD COLUMN     "context_largest" JSONB,
ADD COLUMN     "image_size_bytes" BIGINT,
ADD COLUMN     "memory_limit_bytes" BIGINT,
ADD COLUMN     "oom_killed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "peak_memory_bytes" BIGINT,
ADD COLUMN     "resource_samples" JSONB;
