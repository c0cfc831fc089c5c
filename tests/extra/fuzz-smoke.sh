#!/usr/bin/env bash
# fuzz-smoke.sh — `make test` runs each libFuzzer target for a bounded time through
# `make -s fuzz-smoke` (mk/hardening.mk, fuzz/run.sh); its last line is
# "fuzz-smoke: N passed, N failed" (a target passes when it found nothing).
cd "$(dirname "$0")/../.."
exec make -s fuzz-smoke
