/* cmd_list.c - `reluvet list`: what the library can run. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "reluvet/reluvet.h"

int cmd_list(int argc, char **argv)
{
    if (argc > 1) {
        if (rv_arg_is_help(argv[1])) {
            printf("usage: reluvet list\n  Prints every (operation, variant) pair and the dtypes.\n");
            return 0;
        }
        fprintf(stderr, "reluvet list: unexpected argument '%s'\n", argv[1]);
        return 2;
    }
    printf("dtypes: f32 f64\n");
    for (int op = 0; op < RV_OP_COUNT; op++)
        for (int v = 0; v < RV_VARIANT_COUNT; v++)
            printf("%-10s %-10s%s\n", rv_op_name((rv_op)op), rv_variant_name((rv_variant)v),
                   rv_variant_flags((rv_variant)v) & RV_VF_ORACLE ? "  (oracle)" : "");
    return 0;
}
