# deps.sh - THE list of Debian packages that reluvet's build, commands,
# tests and CI steps need, and the one check that names a missing one.
# Sourced (bash) by scripts/setup.sh, which installs a group's packages,
# and by the test scripts that call a tool, through rv_need. Nothing else
# names a package.
#
# One row a package: GROUP PACKAGE TOOL WHO
#   GROUP  base: every build and the README's two commands; optional: tried,
#          and its part is skipped without it; fuzz, mpi: the CI steps that
#          build those (scripts/fuzz.sh, scripts/mpi.sh)
#   TOOL   the command rv_need checks for ("-" for a library)
rv_deps='
base     build-essential     cc        the build (C and C++ compilers, make)
base     cmake               cmake     the build
base     libblis-dev         -         the blis variant and the GEMM roof
base     libcjson-dev        -         wisdom, results and reports (JSON)
base     libcmocka-dev       -         the unit tests
base     libbenchmark-dev    -         reluvet bench (Google Benchmark)
base     lcov                lcov      reports/coverage.sh
base     gnuplot-nox         gnuplot   the figures of bench and overfit
base     python3             python3   the JSON checks of tests/overfit/*.sh
base     pkg-config          pkg-config scripts/install_check.sh, tests/consumer (pkg-config consumers)
base     coinor-libclp-dev   -         the exact 1-D min-norm interpolator (COIN-OR CLP, the LP solver)
optional libdnnl-dev         -         the oneDNN peer of reluvet bench
fuzz     clang               clang     scripts/fuzz.sh (libFuzzer)
fuzz     libclang-rt-14-dev  -         scripts/fuzz.sh (the fuzzer runtime)
mpi      openmpi-bin         mpirun    scripts/mpi.sh, tests/overfit/mpi_identity.sh
mpi      libopenmpi-dev      -         scripts/mpi.sh (the MPI build)
'

# rv_packages GROUP...: the packages of those groups, one a line.
rv_packages() {
  local g
  for g in "$@"; do
    printf '%s\n' "$rv_deps" | awk -v g="$g" '$1 == g {print $2}'
  done
}

# rv_need WHO TOOL...: returns 0 when every TOOL is on PATH; else prints
# "WHO: needs TOOL (Debian package PKG; scripts/setup.sh installs it)"
# for the first one missing and returns 1.
rv_need() {
  local who=$1 t pkg
  shift
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 && continue
    pkg=$(printf '%s\n' "$rv_deps" | awk -v t="$t" '$3 == t {print $2; exit}')
    echo "$who: needs $t (Debian package ${pkg:-unknown}; scripts/setup.sh installs it)"
    return 1
  done
}
