#!/usr/bin/env bash
# memcheck.sh — `make test` runs `make -s memcheck` (mk/hardening.mk): the spec runner and
# `dyad code` on examples/ and the showcase under valgrind on the plain build, zero reports.
# Its last line is "memcheck: N passed, N failed".
cd "$(dirname "$0")/../.."
exec make -s memcheck
