# feeds tests
