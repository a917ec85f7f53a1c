// The `app` world of canopy:polyglot (../wit/polyglot.wit) in C: `run` asks the imported
// `transform` (the Python component, once composed) for a summary of the text and formats it.
//
// It also writes one line to stderr per call, so that this component goes through wasi-libc's
// stdio, the wasi_snapshot_preview1 adapter and WASI 0.2's wasi:cli/stderr.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

typedef struct {
  char *buf;
  size_t len, cap;
} out_t;

static void put(out_t *o, const char *s, size_t n) {
  if (o->len + n > o->cap) {
    o->cap = (o->len + n) * 2 + 16;
    o->buf = realloc(o->buf, o->cap);
    if (o->buf == NULL) abort();
  }
  memcpy(o->buf + o->len, s, n);
  o->len += n;
}

static void puts_(out_t *o, const char *s) { put(o, s, strlen(s)); }

static void put_u32(out_t *o, uint32_t v) {
  char digits[16];
  int n = snprintf(digits, sizeof digits, "%u", (unsigned)v);
  put(o, digits, (size_t)n);
}

void exports_app_run(app_string_t *text, app_string_t *ret) {
  fprintf(stderr, "app (C): run, %zu bytes of text\n", text->len);

  canopy_polyglot_transform_summary_t summary;
  canopy_polyglot_transform_transform(text, &summary);

  out_t o = {0};
  put_u32(&o, summary.words);
  puts_(&o, summary.words == 1 ? " word" : " words");
  if (summary.words > 0) {
    puts_(&o, ", total ");
    put_u32(&o, summary.total);
    if (summary.best.is_some) {
      puts_(&o, "; best: ");
      put(&o, (const char *)summary.best.val.word.ptr, summary.best.val.word.len);
      puts_(&o, " (");
      put_u32(&o, summary.best.val.value);
      puts_(&o, ")");
    }
    puts_(&o, "; ranked: ");
    for (size_t i = 0; i < summary.ranked.len; i++) {
      if (i) puts_(&o, " > ");
      put(&o, (const char *)summary.ranked.ptr[i].ptr, summary.ranked.ptr[i].len);
    }
  }
  ret->ptr = (uint8_t *)o.buf;
  ret->len = o.len;

  canopy_polyglot_transform_summary_free(&summary);
  app_string_free(text);
}
