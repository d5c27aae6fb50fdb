# provenance
