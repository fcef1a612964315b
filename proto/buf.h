/*
 * A growable byte buffer, the one way bytes are accumulated in saksi (encoders, file reads,
 * export streams). Plain heap memory: never use it for secrets.
 */
#ifndef SAKSI_PROTO_BUF_H
#define SAKSI_PROTO_BUF_H

#include <stddef.h>
#include <stdint.h>

struct proto_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
};

/* An empty buffer; proto_buf_release() frees its memory (safe on an initialised empty buffer). */
void proto_buf_init(struct proto_buf *b);
void proto_buf_release(struct proto_buf *b);

/* Forget the contents but keep the memory. */
void proto_buf_reset(struct proto_buf *b);

/* Ensure room for extra more bytes. -ENOMEM on failure (the buffer is unchanged). */
int proto_buf_reserve(struct proto_buf *b, size_t extra);

/* Append n bytes (n may be 0, p may then be NULL). -ENOMEM on failure. */
int proto_buf_append(struct proto_buf *b, const void *p, size_t n);
int proto_buf_append_byte(struct proto_buf *b, uint8_t v);

#endif
