# sources tests
