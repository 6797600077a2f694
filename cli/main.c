/* main.c - the reluvet command: dispatch to subcommands. Only the CLI prints
 * and decides exit codes: 0 success, 1 run-time failure, 2 usage error. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "reluvet/backend.h"
#include "reluvet/wisdom_file.h"

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
    fprintf(f, "usage: reluvet <command> [options]   (reluvet help <command>, or\n"
               "       reluvet <command> --help, for more; reluvet --version)\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexit status: 0 success, 1 run-time failure (or a failed check or\n"
               "verdict), 2 usage error\n");
}

/* What a result must cite: the build's kernel set (project version + hash
 * of the library's sources, as the wisdom fingerprint records it) and
 * what its kernels run on. */
static void version(void)
{
    rv_fingerprint fp;
    rv_fingerprint_current(&fp);
    printf("reluvet %s\nkernel set %s; BLIS %s (%s kernels); %s; %s\n", RV_VERSION,
           fp.kernel_set, fp.blis_version, fp.blis_kernel_set, fp.compiler, fp.cflags);
}

static int find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return (int)i;
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (rv_arg_is_help(argv[1]) ||
        (strcmp(argv[1], "help") == 0 && argc == 2)) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 && argc == 2) {
        version();
        return 0;
    }
    if (strcmp(argv[1], "help") == 0) { /* help CMD: CMD --help */
        int k = argc == 3 ? find(argv[2]) : -1;
        if (k < 0) {
            fprintf(stderr, "reluvet help: %s (see reluvet --help)\n",
                    argc == 3 ? "no such command" : "takes one command name");
            return 2;
        }
        char *help_argv[] = {argv[2], "--help", NULL};
        return commands[k].run(2, help_argv);
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
