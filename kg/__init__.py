"""kg: structured records to graph — backends (FalkorDB embedded, Neo4j), schema, export."""
