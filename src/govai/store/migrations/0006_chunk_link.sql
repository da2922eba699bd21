-- A section's own web address, when it is not the document's URL plus the section's
-- anchor: each part of a GOV.UK guide is its own page (/national-minimum-wage/who-gets-the-minimum-wage).
ALTER TABLE chunk ADD COLUMN link text;
