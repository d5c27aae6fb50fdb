# provenance tests
