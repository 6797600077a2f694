/* fuzz_wisdom.c - libFuzzer target for the wisdom-file loader: any bytes
 * are accepted or rejected with a message, never a crash; what is accepted
 * is in range (each entry passes rv_wisdom_entry_validate, seconds within
 * 0..RV_WISDOM_MAX_SECONDS) and survives a write and re-read unchanged in
 * size. */
#include <stdint.h>
#include <stdlib.h>

#include "reluvet/wisdom.h"
#include "reluvet/wisdom_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rv_fingerprint fp;
    static int have_fp;
    if (!have_fp) {
        rv_fingerprint_current(&fp);
        have_fp = 1;
    }
    rv_wisdom *w = NULL, *again = NULL;
    rv_error err;
    if (rv_wisdom_create(&w, &err) != RV_OK)
        return 0;
    if (rv_wisdom_from_json(w, (const char *)data, size, &fp, &err) == RV_OK) {
        for (size_t i = 0; i < rv_wisdom_count(w); i++) {
            const rv_wisdom_entry *e = rv_wisdom_at(w, i);
            if (rv_wisdom_entry_validate(e, &err) != RV_OK ||
                !(e->seconds >= 0 && e->seconds <= RV_WISDOM_MAX_SECONDS))
                abort(); /* the loader let an out-of-range value through */
        }
        char *text = rv_wisdom_to_json(w, &fp);
        if (text && rv_wisdom_create(&again, &err) == RV_OK) {
            size_t len = 0;
            while (text[len])
                len++;
            if (rv_wisdom_from_json(again, text, len, &fp, &err) != RV_OK ||
                rv_wisdom_count(again) != rv_wisdom_count(w))
                abort(); /* what we write we must read back */
            rv_wisdom_destroy(again);
        }
        free(text);
    }
    rv_wisdom_destroy(w);
    return 0;
}
