"""Every problem in one pass: schemas, text policy, examples."""
