/* wisdom_json.h - JSON pieces shared by wisdom_file.c and fingerprint.c. */
#ifndef RELUVET_WISDOM_JSON_H
#define RELUVET_WISDOM_JSON_H

#include <cjson/cJSON.h>

#include "reluvet/wisdom_file.h"

/* Is v a JSON number that is an integer in [lo, hi]? Then *out = it. */
int rv_json_integer(const cJSON *v, double lo, double hi, double *out);

/* A new JSON object with every field of fp, or NULL when out of memory. */
cJSON *rv_fingerprint_to_cjson(const rv_fingerprint *fp);

/* Reads every field from o into fp; RV_ERR_FORMAT naming the first field
 * that is missing, of the wrong type, too long or out of range. */
rv_status rv_fingerprint_from_cjson(const cJSON *o, rv_fingerprint *fp, rv_error *err);

/* Field `name` of fp as text (for messages), into buf; returns buf. */
const char *rv_fingerprint_field(const rv_fingerprint *fp, const char *name, char *buf,
                                 size_t cap);

#endif
