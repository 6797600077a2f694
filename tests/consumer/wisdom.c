/* wisdom.c - reluvet::wisdom from outside reluvet: an empty wisdom goes to
 * JSON (cJSON, inside libreluvet_wisdom) and back under this process's
 * fingerprint, and the same text under another fingerprint is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <reluvet/reluvet.h>
#include <reluvet/wisdom_file.h>

int main(void)
{
    rv_wisdom *w;
    rv_error err;
    if (rv_wisdom_create(&w, &err) != RV_OK) {
        fprintf(stderr, "consumer_wisdom: %s\n", err.msg);
        return 1;
    }
    rv_fingerprint fp, other;
    rv_fingerprint_current(&fp);
    char *json = rv_wisdom_to_json(w, &fp);
    int ok = json && strstr(json, "\"reluvet-wisdom\"") &&
             rv_wisdom_from_json(w, json, strlen(json), &fp, &err) == RV_OK &&
             rv_wisdom_count(w) == 0;
    other = fp;
    snprintf(other.cpu_model, sizeof other.cpu_model, "not this machine");
    ok = ok && rv_wisdom_from_json(w, json, strlen(json), &other, &err) == RV_ERR_FORMAT;
    free(json);
    rv_wisdom_destroy(w);
    if (!ok) {
        fprintf(stderr, "consumer_wisdom: FAILED: JSON round trip or fingerprint check\n");
        return 1;
    }
    printf("consumer_wisdom: wisdom JSON round trip and foreign fingerprint refused\n");
    return 0;
}
