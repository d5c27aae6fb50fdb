# fetch tests
