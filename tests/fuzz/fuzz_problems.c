/* fuzz_problems.c - libFuzzer target for the problem-list parser of
 * `reluvet tune --shapes FILE`: any bytes give a list or a line-numbered
 * rejection, never a crash, and accepted problems are within the limits
 * and valid (known flags only, allowed for their op). */
#include <stdint.h>
#include <stdlib.h>

#include "tune_problems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rv_problem list[64];
    size_t count = 0;
    char why[200];
    if (rv_parse_problem_list((const char *)data, size, list, 64, &count, why, sizeof why) == 0)
        for (size_t i = 0; i < count; i++)
            if (list[i].shape.n < 1 || list[i].shape.n > (size_t)RV_TUNE_MAX_EXTENT ||
                list[i].shape.m < 1 || list[i].shape.m > (size_t)RV_TUNE_MAX_EXTENT ||
                (list[i].flags & ~(unsigned)(RV_PLAN_WITH_H | RV_PLAN_WITH_DX | RV_PLAN_NO_BIAS)) ||
                rv_problem_validate(&list[i], NULL) != RV_OK)
                abort();
    return 0;
}
