# SPDX-License-Identifier: ISC
# provenance: C2PA / XMP media scans, platform signals, the badge
PROV_SOURCES = src/provenance/jumbf.c src/provenance/cborx.c src/provenance/container.c src/provenance/formats.c \
	src/provenance/xmp.c src/provenance/hash.c src/provenance/cose.c src/provenance/cawg.c src/provenance/compressed.c src/provenance/trust.c \
	src/provenance/c2pa.c src/provenance/scan.c src/provenance/rules.c src/provenance/platform.c \
	src/provenance/badge.c src/provenance/prov_int.h
libwinnow_a_SOURCES += $(PROV_SOURCES)
