# bench (make bench, scripts/bench.sh): target workloads (*.S, built by
# the script) and what it runs them with.
BENCH_DEPS += $(PDT_TOOLS)
