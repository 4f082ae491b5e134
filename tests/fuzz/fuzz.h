/* fuzz.h: what the fuzz targets share. Each tests/fuzz/fuzz_NAME.c defines
 * LLVMFuzzerTestOneInput over one parser of untrusted input; it is linked
 * with libFuzzer (make fuzz, clang) or with replay.c, a plain main that
 * runs files and directories of inputs (make check: corpora and every
 * input that ever crashed). A target aborts on a broken property, so both
 * drivers report it as a crash. */
#ifndef AW_FUZZ_H
#define AW_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "providers/provider.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data (caller frees); aborts on no memory. */
char *aw_fuzz_cstr(const uint8_t *data, size_t size);

/* Drives one operation of a DNS host through its step function, the
 * responses taken from data (host.c describes the format). cfg holds the
 * host's settings (no network is ever used: requests are only built). */
void aw_fuzz_host_run(const struct aw_provider_ops *ops,
    const struct aw_provider_config *cfg, const uint8_t *data, size_t size);

#endif
