/* form.c - names, the automatic choice and the checks of the training forms. */
#include "form.h"

#include <string.h>

static const char *const names[] = {"auto", "direct", "subspace", "reduced"};

const char *rvo_form_name(rvo_form f)
{
    return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : NULL;
}

int rvo_form_from_name(const char *name, rvo_form *f)
{
    for (unsigned i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) {
            *f = (rvo_form)i;
            return 0;
        }
    return -1;
}

rvo_form rvo_form_choose(rvo_form requested, size_t n, size_t d, size_t m, int gd)
{
    if (requested != RVO_FORM_AUTO)
        return requested;
    if (!gd || d <= 2 * n)
        return RVO_FORM_DIRECT;
    return d <= n + m ? RVO_FORM_SUBSPACE : RVO_FORM_REDUCED;
}

rv_status rvo_form_check(rvo_form f, size_t n, size_t d, size_t m, int gd, rv_error *err)
{
    if (f != RVO_FORM_DIRECT && f != RVO_FORM_SUBSPACE && f != RVO_FORM_REDUCED)
        return rv_fail(err, RV_ERR_OPTS, "form %d is not direct, subspace or reduced", (int)f);
    if (f != RVO_FORM_DIRECT && !gd)
        return rv_fail(err, RV_ERR_OPTS, "the %s form needs the gd trainer: Adam's "
                       "per-coordinate steps leave the span of the inputs", rvo_form_name(f));
    if (f == RVO_FORM_REDUCED && d <= n + m)
        return rv_fail(err, RV_ERR_OPTS, "the reduced form needs d > n + m = %zu (d = %zu): "
                       "use the direct or subspace form there", n + m, d);
    return RV_OK;
}

size_t rvo_form_coords(rvo_form f, size_t n, size_t d, size_t m)
{
    return f == RVO_FORM_REDUCED ? n + m : d;
}
