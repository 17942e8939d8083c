-- The human case number (A-1042) is derived from the id inside the INSERT itself, so creating a
-- case needs no second statement to set it. Not expressible in the Prisma schema: a trigger.
CREATE OR REPLACE FUNCTION "case_number_from_id"() RETURNS trigger AS $$
BEGIN
  NEW."number" := 'A-' || (1000 + NEW."id");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Case_number_from_id" BEFORE INSERT ON "Case"
FOR EACH ROW EXECUTE FUNCTION "case_number_from_id"();
