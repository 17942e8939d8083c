-- The human case number (A-1042) is derived from the id inside the INSERT itself, so creating a
-- case needs no second statement to set it. Not expressible in the Prisma schema: a trigger.
CREATE TRIGGER "Case_number_from_id" AFTER INSERT ON "Case"
BEGIN
  UPDATE "Case" SET "number" = 'A-' || (1000 + NEW."id") WHERE "id" = NEW."id";
END;
