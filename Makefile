# Targets for developers; CI runs .ci/run.

.PHONY: bench bench-quick

# The side-by-side benchmark suite (see BENCHMARKS.md): ncsoap, its
# bounds and, when installed, netconfd and ncclient. ARGS passes flags,
# e.g. make bench ARGS="-only ssh/*".
bench:
	go run ./cmd/ncsoap-bench $(ARGS)

# A short run of every workload, to check that the suite works.
bench-quick:
	go run ./cmd/ncsoap-bench -quick $(ARGS)
