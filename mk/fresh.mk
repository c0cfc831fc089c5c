# fresh: `make test-fresh` runs the README's two commands (`make demo`, `make test`) as written
# in a Debian 12 root made with debootstrap that has none of dyad's packages (tests/fresh.sh;
# needs root; the root is cached as build/fresh/bookworm-minbase.tar.gz). .ci/run runs it after
# `make test`.
.PHONY: test-fresh
test-fresh:
	@tests/fresh.sh
