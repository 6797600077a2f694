// gbench.cc - the C interface of gbench.h over Google Benchmark. The only
// C++ in the project: it wraps benchmark::State in an opaque C handle and a
// C function pointer plus user data in a lambda. No exception crosses into C.
#include "gbench.h"

#include <benchmark/benchmark.h>

#include <new>
#include <string>

namespace {

benchmark::State &S(rvb_state *st)
{
    return *reinterpret_cast<benchmark::State *>(st);
}

const benchmark::State &S(const rvb_state *st)
{
    return *reinterpret_cast<const benchmark::State *>(st);
}

benchmark::Counter::Flags counter_flags(unsigned f)
{
    int out = benchmark::Counter::kDefaults;
    if (f & RVB_RATE)
        out |= benchmark::Counter::kIsRate;
    if (f & RVB_PER_ITER)
        out |= benchmark::Counter::kIsIterationInvariant;
    if (f & RVB_AVG_ITER)
        out |= benchmark::Counter::kAvgIterations;
    if (f & RVB_INVERT)
        out |= benchmark::Counter::kInvert;
    return static_cast<benchmark::Counter::Flags>(out);
}

}  // namespace

extern "C" {

int rvb_initialize(int *argc, char **argv)
{
    try {
        benchmark::Initialize(argc, argv);
        return benchmark::ReportUnrecognizedArguments(*argc, argv) ? -1 : 0;
    } catch (...) {
        return -1;
    }
}

void rvb_add_context(const char *key, const char *value)
{
    try {
        benchmark::AddCustomContext(key, value);
    } catch (...) {
        // a context entry is informative: losing one under memory pressure is harmless
    }
}

int rvb_register(const char *name, rvb_fn fn, void *user, const rvb_opts *opts)
{
    static const benchmark::TimeUnit units[] = {benchmark::kNanosecond, benchmark::kMicrosecond,
                                                benchmark::kMillisecond, benchmark::kSecond};
    const rvb_opts o = opts ? *opts : rvb_opts{};
    if (!name || !fn || o.threads < 0 || o.min_time < 0 || o.repetitions < 0 ||
        o.iterations < 0 || (o.iterations > 0 && o.min_time > 0) || o.unit < RVB_NS ||
        o.unit > RVB_S)
        return -1;
    try {
        benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(
            name, [fn, user](benchmark::State &s) { fn(reinterpret_cast<rvb_state *>(&s), user); });
        b->Unit(units[o.unit]);
        if (o.manual_time)
            b->UseManualTime();
        else if (o.threads > 1 || o.real_time)
            b->UseRealTime();
        if (o.min_time > 0)
            b->MinTime(o.min_time);
        if (o.iterations > 0)
            b->Iterations(static_cast<benchmark::IterationCount>(o.iterations));
        if (o.repetitions > 0)
            b->Repetitions(o.repetitions);
        return 0;
    } catch (...) {
        return -1;
    }
}

size_t rvb_run(const char *filter)
{
    try {
        // Google Benchmark 1.7.1 frees its default display reporter (a
        // function-local static) at the end of a run when it picks it
        // itself, so a second run in the process would use freed memory:
        // pass the same reporter explicitly, which it then leaves alone.
        static benchmark::BenchmarkReporter *display = benchmark::CreateDefaultDisplayReporter();
        return benchmark::RunSpecifiedBenchmarks(
            display, filter && *filter ? std::string(filter) : benchmark::GetBenchmarkFilter());
    } catch (...) {
        return 0;
    }
}

void rvb_clear(void)
{
    benchmark::ClearRegisteredBenchmarks();
}

void rvb_shutdown(void)
{
    benchmark::Shutdown();
}

int rvb_keep_running(rvb_state *st)
{
    return S(st).KeepRunning();
}

int rvb_keep_running_batch(rvb_state *st, int64_t batch)
{
    return S(st).KeepRunningBatch(static_cast<benchmark::IterationCount>(batch));
}

int64_t rvb_iterations(const rvb_state *st)
{
    return static_cast<int64_t>(S(st).iterations());
}

void rvb_pause(rvb_state *st)
{
    S(st).PauseTiming();
}

void rvb_resume(rvb_state *st)
{
    S(st).ResumeTiming();
}

void rvb_set_iteration_time(rvb_state *st, double seconds)
{
    S(st).SetIterationTime(seconds);
}

void rvb_counter(rvb_state *st, const char *name, double value, unsigned flags)
{
    try {
        S(st).counters[name] = benchmark::Counter(value, counter_flags(flags));
    } catch (...) {
        S(st).SkipWithError("out of memory setting a counter");
    }
}

void rvb_set_bytes_processed(rvb_state *st, int64_t bytes)
{
    S(st).SetBytesProcessed(bytes);
}

void rvb_set_items_processed(rvb_state *st, int64_t items)
{
    S(st).SetItemsProcessed(items);
}

void rvb_set_label(rvb_state *st, const char *label)
{
    try {
        S(st).SetLabel(label);
    } catch (...) {
        S(st).SkipWithError("out of memory setting a label");
    }
}

void rvb_skip_with_error(rvb_state *st, const char *msg)
{
    S(st).SkipWithError(msg);
}

int rvb_error_occurred(const rvb_state *st)
{
    return S(st).error_occurred();
}

void rvb_clobber_memory(void)
{
    benchmark::ClobberMemory();
}

}  // extern "C"
