/*
 * The files an import will read: the paths given, folders walked
 * recursively in name order (hidden files inside folders skipped, symlink
 * loops detected). A path that cannot be imported stays in the list with
 * the reason, so the importer reports it in its place.
 */
#include "import_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int list_add(struct sc_file_list *l, const char *path, const char *error)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **np = sc_reallocarray(l->paths, ncap, sizeof *np);
        if (!np)
            return -1;
        l->paths = np;
        char **ne = sc_reallocarray(l->errors, ncap, sizeof *ne);
        if (!ne)
            return -1;
        l->errors = ne;
        l->cap = ncap;
    }
    l->paths[l->n] = sc_strdup(path);
    l->errors[l->n] = error ? sc_strdup(error) : NULL;
    if (!l->paths[l->n] || (error && !l->errors[l->n])) {
        free(l->paths[l->n]);
        free(l->errors[l->n]);
        return -1;
    }
    l->n++;
    return 0;
}

void sc_file_list_free(struct sc_file_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->paths[i]);
        free(l->errors[i]);
    }
    free(l->paths);
    free(l->errors);
}

/* Directories on the current walk path, to detect symlink loops. */
struct dir_stack {
    dev_t dev[64];
    ino_t ino[64];
    size_t n;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct sc_file_list *l, const char *path, struct dir_stack *ds, int top)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        char msg[256];
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
            snprintf(msg, sizeof msg, "broken symbolic link (%s)", strerror(errno));
        else
            snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
        return list_add(l, path, msg);
    }
    if (!S_ISDIR(st.st_mode)) {
        if (!S_ISREG(st.st_mode))
            return list_add(l, path, "not a regular file");
        /* hidden files inside folders (.DS_Store, editor swap files) are skipped */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (!top && base[0] == '.')
            return 0;
        return list_add(l, path, NULL);
    }
    for (size_t i = 0; i < ds->n; i++)
        if (ds->dev[i] == st.st_dev && ds->ino[i] == st.st_ino)
            return list_add(l, path, "symbolic link loop: this folder contains itself");
    if (ds->n == sizeof ds->dev / sizeof ds->dev[0])
        return list_add(l, path, "folders nested too deeply (64 levels)");
    DIR *d = opendir(path);
    if (!d) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot read folder: %s", strerror(errno));
        return list_add(l, path, msg);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (de->d_name[0] == '.' && !top)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **nn = sc_reallocarray(names, ncap, sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
            cap = ncap;
        }
        if (!(names[n] = sc_strdup(de->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0) {
        qsort(names, n, sizeof *names, cmp_names);
        ds->dev[ds->n] = st.st_dev;
        ds->ino[ds->n] = st.st_ino;
        ds->n++;
        struct sc_buf child = SC_BUF_INIT;
        for (size_t i = 0; i < n && rc == 0; i++) {
            sc_buf_reset(&child);
            sc_buf_addf(&child, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
                        names[i]);
            rc = child.failed ? -1 : walk(l, child.data, ds, 0);
        }
        sc_buf_release(&child);
        ds->n--;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int sc_file_list_add_path(struct sc_file_list *l, const char *path)
{
    struct dir_stack ds = { .n = 0 };
    return walk(l, path, &ds, 1);
}
