/* lib.h: a library opened when first used, not by the dynamic loader at
 * start-up (issue 16). Its owner file lists the functions it calls (an
 * X-macro list), keeps their pointers in a struct typed by the library's
 * own header, and fills it with aw_lib_open on first use. */
#ifndef AW_LIB_H
#define AW_LIB_H

#include <stddef.h>

#include "core/error.h"

/* Opens soname and looks up names[0..n) into slots[0..n). On failure
 * err (may be NULL) names the library and the Debian package that has
 * it, status code; the slots are cleared and NULL is returned. The handle
 * is kept until aw_lib_close. */
void *aw_lib_open(const char *soname, const char *package,
    const char *const *names, void **slots, size_t n, enum aw_status code,
    struct aw_error *err);
/* Unloads what aw_lib_open opened (the owner clears its slots). NULL:
 * no-op. */
void aw_lib_close(void *handle);

/* The name list and the slot count of an owner's X-macro list: e.g.
 *   static const char *const curl_names[] = { HTTP_CURL_FUNCS(AW_LIB_NAME) };
 * and the struct of pointers passed as (void **)&table with
 * AW_LIB_SLOTS(table). */
#define AW_LIB_NAME(f) #f,
#define AW_LIB_SLOTS(table) (sizeof (table) / sizeof (void *))

#endif
