/* fuzz_bench_report.c - libFuzzer target for the benchmark report: any
 * bytes as bench.json are reported or rejected with a message, never a
 * crash; and whatever the names in them, every gnuplot script written
 * keeps them inside closed single-quoted strings, the only place where
 * gnuplot runs nothing (reports/gnuplot.h). gnuplot itself is not run:
 * PATH is emptied, so each input costs file writes only. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_report.h"
#include "reluvet/fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless every character outside single quotes is one the report's
 * templates use, and no quoted string runs past its line. */
static void check_script(const char *s)
{
    int quoted = 0;
    for (const char *c = s; *c; c++) {
        if (*c == '\'') {
            if (quoted && c[1] == '\'')
                c++; /* '' is a quote inside the string */
            else
                quoted = !quoted;
        } else if (quoted && *c == '\n') {
            abort(); /* a string left open: the next line would be its rest */
        } else if (!quoted && (*c == '`' || *c == '@' || *c == '"')) {
            abort(); /* outside quotes these run commands or expand macros */
        }
    }
    if (quoted)
        abort();
}

/* Checks each script in fig, then empties it for the next input. */
static void check_scripts(const char *fig)
{
    DIR *d = opendir(fig);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        char path[4200], *text;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", fig, e->d_name);
        if (n > 3 && strcmp(e->d_name + n - 3, ".gp") == 0 &&
            rv_read_file(path, (size_t)1 << 24, &text, &len, NULL) == RV_OK) {
            check_script(text);
            free(text);
        }
        remove(path);
    }
    closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[] = "/tmp/fuzz_bench_report_XXXXXX";
    static char json[256], fig[256];
    if (!json[0]) {
        if (!mkdtemp(dir))
            abort();
        snprintf(json, sizeof json, "%s/bench.json", dir);
        snprintf(fig, sizeof fig, "%s/fig", dir);
        setenv("PATH", "/nonexistent", 1);
    }
    if (rv_write_file_atomic(json, data, size, NULL) != RV_OK)
        return 0;
    rvr_bench_input in = {.bench_json = json, .out_dir = dir};
    rvr_bench_result res;
    rv_error err;
    rvr_bench_report(&in, &res, &err);
    check_scripts(fig);
    return 0;
}
