"""nlp: documents to structured records (text, outline, facts)."""
