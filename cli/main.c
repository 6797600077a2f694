/* main.c - the reluvet command: dispatch to subcommands. Only the CLI prints
 * and decides exit codes: 0 success, 1 run-time failure, 2 usage error. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "reluvet/backend.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
#define RV_COMMAND(name, summary) {#name, cmd_##name, summary},
#include "commands.def"
#undef RV_COMMAND
};

static void usage(FILE *f)
{
    fprintf(f, "usage: reluvet <command> [options]   (reluvet <command> --help for more)\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            /* A kernel set the user forced but that cannot run would
             * otherwise be dropped silently, leaving BLIS's slow generic
             * kernels in every timing and verdict: refuse to start. */
            rv_error err = {0};
            if (rv_blis_check(&err) != RV_OK) {
                fprintf(stderr, "reluvet %s: %s\n", argv[1], err.msg);
                return 2;
            }
            return commands[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, "reluvet: unknown command '%s' (see reluvet --help)\n", argv[1]);
    return 2;
}
