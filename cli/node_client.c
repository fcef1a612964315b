/*
 * The CLI's side of saksid's control socket (<data>/saksid.sock): one JSON request line, one
 * JSON reply line. Used when saksid runs and therefore holds the data directory's write lock:
 * entries the CLI signs are submitted here, so they gossip at once.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "proto/err.h"

#define REPLY_MAX  (1u << 20)
#define TIMEOUT_MS 30000

static int connect_ctl(const struct cli_ctx *ctx)
{
    struct sockaddr_un sa;
    char path[4200];
    int fd;

    cli_path(ctx, "saksid.sock", path, sizeof path);
    if (strlen(path) >= sizeof sa.sun_path)
        return -ENAMETOOLONG;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;

        close(fd);
        return -e;
    }
    return fd;
}

int cli_node_request(const struct cli_ctx *ctx, json_t *req, json_t **reply)
{
    char *line = json_dumps(req, JSON_COMPACT), *buf = NULL;
    size_t n, len = 0;
    int fd, rc = 0;

    *reply = NULL;
    if (!line)
        return -ENOMEM;
    fd = connect_ctl(ctx);
    if (fd < 0) {
        free(line);
        return fd;
    }
    n = strlen(line);
    line[n] = '\n'; /* json_dumps leaves room for nothing more: rewrite the NUL, send n + 1 */
    for (size_t off = 0; off < n + 1;) {
        ssize_t w = write(fd, line + off, n + 1 - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            rc = -errno;
            goto out;
        }
        off += (size_t)w;
    }
    buf = malloc(REPLY_MAX);
    if (!buf) {
        rc = -ENOMEM;
        goto out;
    }
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t r;
        int pr = poll(&p, 1, TIMEOUT_MS);

        if (pr == 0) {
            rc = -ETIMEDOUT;
            goto out;
        }
        if (pr < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            goto out;
        }
        r = read(fd, buf + len, REPLY_MAX - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rc = r < 0 ? -errno : -ECONNRESET;
            goto out;
        }
        len += (size_t)r;
        if (memchr(buf, '\n', len))
            break;
        if (len == REPLY_MAX - 1) {
            rc = -EMSGSIZE;
            goto out;
        }
    }
    buf[len] = '\0';
    *reply = json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
    if (!*reply)
        rc = -EPROTO;
out:
    free(buf);
    free(line);
    close(fd);
    return rc;
}

int cli_node_submit(const struct cli_ctx *ctx, const uint8_t *raw, size_t len, uint8_t id[32],
                    char *why, size_t whylen)
{
    char *hex = malloc(2 * len + 1);
    json_t *req, *reply = NULL;
    int rc;

    if (!hex)
        return -ENOMEM;
    proto_hex(raw, len, hex);
    req = json_pack("{s:s, s:s}", "op", "submit", "entry", hex);
    free(hex);
    /* The user's explicit override of restore safety (cli_author): saksid re-arms its marker. */
    if (req && ctx->install_overriding)
        json_object_set_new(req, "override", json_true());
    if (!req)
        return -ENOMEM;
    rc = cli_node_request(ctx, req, &reply);
    json_decref(req);
    if (rc < 0)
        return rc;
    if (json_is_true(json_object_get(reply, "ok"))) {
        const char *h = json_string_value(json_object_get(reply, "id"));

        rc = h && cli_hex32(h, id) == 0 ? 0 : -EPROTO;
    } else {
        const char *e = json_string_value(json_object_get(reply, "error"));

        snprintf(why, whylen, "%s", e ? e : "refused");
        rc = e && strncmp(e, "stale", 5) == 0 ? -ESTALE : ERR_RULE;
    }
    json_decref(reply);
    return rc;
}
