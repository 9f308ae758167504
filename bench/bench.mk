# bench (make bench, scripts/bench.sh): target workloads (*.S, built by
# the script) and what it runs them with.  Benchmarks may use every layer.
$(call layer,bench,$(INC_FLOW))

# libpdtrace's host benchmarks (scripts/bench-pdtrace.sh): pdt-bench-gen
# writes a synthetic trace, pdt-bench-dec times the packet decoder alone,
# pdt-bench-flow the flow decoder.
PDT_BENCH := $(addprefix $(BUILD)/bin/,pdt-bench-gen pdt-bench-dec pdt-bench-flow)
$(PDT_BENCH): $(BUILD)/bin/pdt-%: $(BUILD)/obj/bench/%.o $(PDTRACE_LIBS_REL)
	$(LINK_REL)

BENCH_DEPS += $(PDT_BENCH)
