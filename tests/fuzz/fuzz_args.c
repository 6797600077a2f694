/* fuzz_args.c - libFuzzer target for the command-line value parsers: any
 * bytes must give a clean accept or reject, never a crash, and an accepted
 * value must be within its range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char why[160];
    long l;
    double d, list[8];
    int count;
    rv_shape shape;
    if (rv_arg_long(s, -5, 1000, &l, why, sizeof why) == 0 && (l < -5 || l > 1000))
        abort();
    if (rv_arg_double(s, 0, 0.5, &d, why, sizeof why) == 0 && !(d >= 0 && d <= 0.5))
        abort();
    if (rv_arg_doubles(s, 0, 1, list, 8, &count, why, sizeof why) == 0 &&
        (count < 1 || count > 8))
        abort();
    if (rv_arg_shape(s, 4096, &shape, why, sizeof why) == 0 &&
        (shape.n < 1 || shape.n > 4096 || shape.d < 1 || shape.m > 4096))
        abort();
    free(s);
    return 0;
}
