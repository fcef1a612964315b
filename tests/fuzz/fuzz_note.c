/*
 * Fuzz target for proto/note and the checkpoint body: the input is parsed as a signed note;
 * whatever parses writes back to exactly the input, its text passes the text check, every
 * signature line has a valid name and at least one byte after its key id, and verifying any line
 * against a fixed key never crashes and fails unless the line was made by that key. The text is
 * then parsed as a checkpoint body, which, when it parses, formats back to exactly the text.
 * The first input byte chooses whether the whole input is also tried as a bare checkpoint body.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/checkpoint.h"
#include "proto/err.h"
#include "proto/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_body(const char *text, size_t len)
{
    struct proto_checkpoint c;
    struct proto_buf b;
    int rc = proto_checkpoint_parse(text, len, &c);

    if (rc != 0) {
        if (rc != ERR_CHECKPOINT)
            abort();
        return;
    }
    proto_buf_init(&b);
    if (proto_checkpoint_format(&c, &b) == 0 && (b.len != len || memcmp(b.data, text, len) != 0))
        abort();
    proto_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t pk[32] = {1, 2, 3};
    struct proto_note n;
    struct proto_buf b;
    int rc;

    if (size > 0 && data[0] == 's')
        check_body((const char *)data + 1, size - 1);
    rc = proto_note_parse((const char *)data, size, &n);
    if (rc != 0) {
        if ((rc != ERR_NOTE && rc != ERR_TOOBIG && rc != -ENOMEM) || n.nsigs || n.blob)
            abort();
        return 0;
    }
    if (proto_note_text_check(n.text, n.text_len) != 0 || n.nsigs == 0)
        abort();
    for (size_t i = 0; i < n.nsigs; i++) {
        const struct proto_note_sig *s = &n.sigs[i];

        if (!proto_note_name_ok(s->name, s->name_len) || s->data_len < 1)
            abort();
        for (uint8_t t = PROTO_NOTE_ED25519; t <= PROTO_NOTE_COSIG; t += 3) {
            rc = proto_note_verify(&n, s, s->name, s->name_len, t, pk, NULL);
            if (rc == 0)
                abort(); /* nobody holds the secret key of this made-up public key */
        }
    }
    proto_buf_init(&b);
    rc = proto_note_write(&b, &n);
    if (rc == 0 && (b.len != size || memcmp(b.data, data, size) != 0))
        abort();
    proto_buf_release(&b);
    check_body(n.text, n.text_len);
    proto_note_release(&n);
    return 0;
}
