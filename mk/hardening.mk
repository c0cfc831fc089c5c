# hardening targets: fuzz, fuzz-smoke, memcheck (see mk/hardening.mk)
