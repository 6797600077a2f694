/* wisdom_opt.c - finding and loading the wisdom file (see wisdom_opt.h). */
#include "wisdom_opt.h"

#include <stdio.h>
#include <string.h>

#include "reluvet/fileio.h"
#include "reluvet/wisdom_file.h"

int rv_cli_wisdom_path(const char *cmd, const char *given, int make_dir, char *path,
                       size_t cap)
{
    rv_error err = {0};
    if (given) {
        if (strlen(given) >= cap) {
            fprintf(stderr, "reluvet %s: --wisdom: path too long\n", cmd);
            return 1;
        }
        snprintf(path, cap, "%s", given);
        return 0;
    }
    if (rv_wisdom_default_path(path, cap, &err) != RV_OK) {
        fprintf(stderr, "reluvet %s: %s\n", cmd, err.msg);
        return 1;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (make_dir && slash && slash != dir) {
        *slash = '\0';
        if (rv_make_dirs(dir, &err) != RV_OK) {
            fprintf(stderr, "reluvet %s: %s\n", cmd, err.msg);
            return 1;
        }
    }
    return 0;
}

int rv_cli_wisdom_load(const char *cmd, const char *path, const char *consequence,
                       rv_wisdom **w, int *usable)
{
    rv_error err = {0};
    if (rv_wisdom_create(w, &err) != RV_OK) {
        fprintf(stderr, "reluvet %s: %s\n", cmd, err.msg);
        return 1;
    }
    rv_status s = rv_wisdom_load(*w, path, &err);
    *usable = s == RV_OK;
    if (s != RV_OK)
        fprintf(stderr, "reluvet %s: warning: %s; ignoring it (%s)\n", cmd, err.msg, consequence);
    return 0;
}
