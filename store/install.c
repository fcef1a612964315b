/*
 * The install marker (store/install.h): a small text file in the data directory that names the
 * install allowed to author as this device. The directory is named by device, inode and birth
 * time together: inode numbers are reused at once on ext4 (a directory deleted and restored from
 * a backup in the same place often gets its old inode back), the birth time is not.
 */
#define _GNU_SOURCE /* statx, for the directory's birth time */
#include "store/install.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "proto/crypto.h"

#define MARKER_NAME  "install"
#define MARKER_MAGIC "saksi-install 1"
#define MARKER_MAX   1024

/* The first line of path, if it is a plausible machine id (printable, no blanks). */
static int machine_file(const char *path, char *out, size_t size)
{
    char buf[STORE_INSTALL_MACHINE_MAX + 2];
    FILE *f = fopen(path, "re");
    size_t n;

    if (!f)
        return -errno;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    n = strlen(buf);
    if (n == 0 || n > STORE_INSTALL_MACHINE_MAX)
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (buf[i] <= ' ' || buf[i] > '~')
            return -EINVAL;
    snprintf(out, size, "%s", buf);
    return 0;
}

static void machine_id(char *out, size_t size)
{
    char host[STORE_INSTALL_MACHINE_MAX - 5]; /* after "host:", within the marker's limit */

    if (machine_file("/etc/machine-id", out, size) == 0 ||
        machine_file("/var/lib/dbus/machine-id", out, size) == 0)
        return;
    /* No machine id (some containers, Android): the host name is weaker but better than none. */
    if (gethostname(host, sizeof host - 1) == 0) {
        host[sizeof host - 1] = '\0';
        for (char *p = host; *p; p++)
            if (*p <= ' ' || *p > '~')
                *p = '_';
        if (host[0]) {
            snprintf(out, size, "host:%s", host);
            return;
        }
    }
    snprintf(out, size, "unknown");
}

static int dir_identity(const char *data_dir, struct store_install *m)
{
    struct statx sx;
    struct stat sb;

    if (statx(AT_FDCWD, data_dir, 0, STATX_INO | STATX_BTIME, &sx) == 0) {
        m->dev = (uint64_t)makedev(sx.stx_dev_major, sx.stx_dev_minor); /* as st_dev */
        m->ino = sx.stx_ino;
        if (sx.stx_mask & STATX_BTIME) {
            m->btime_s = sx.stx_btime.tv_sec;
            m->btime_ns = sx.stx_btime.tv_nsec;
        }
        return 0;
    }
    if (errno != ENOSYS)
        return -errno;
    if (stat(data_dir, &sb) < 0)
        return -errno;
    m->dev = (uint64_t)sb.st_dev;
    m->ino = (uint64_t)sb.st_ino;
    return 0;
}

int store_install_here(const char *data_dir, struct store_install *out)
{
    int rc;

    memset(out, 0, sizeof *out);
    machine_id(out->machine, sizeof out->machine);
    rc = dir_identity(data_dir, out);
    if (rc < 0)
        return rc;
    proto_random(out->nonce, sizeof out->nonce);
    out->armed = true;
    return 0;
}

static void marker_path(const char *data_dir, const char *suffix, char *out, size_t size)
{
    snprintf(out, size, "%s/" MARKER_NAME "%s", data_dir, suffix);
}

/* One "name value" line into m; returns the bit of the field it set, 0 if malformed. */
static unsigned parse_line(char *s, struct store_install *m)
{
    char *v = strchr(s, ' '), *end;
    unsigned long long x;

    if (!v)
        return 0;
    *v++ = '\0';
    if (strcmp(s, "machine") == 0) {
        size_t n = strlen(v);

        if (n == 0 || n > STORE_INSTALL_MACHINE_MAX || strchr(v, ' '))
            return 0;
        memcpy(m->machine, v, n + 1);
        return 1u << 0;
    }
    if (strcmp(s, "dev") == 0 || strcmp(s, "ino") == 0) {
        errno = 0;
        x = strtoull(v, &end, 10);
        if (errno || *end || !*v || *v == '-')
            return 0;
        *(s[0] == 'd' ? &m->dev : &m->ino) = x;
        return s[0] == 'd' ? 1u << 1 : 1u << 2;
    }
    if (strcmp(s, "btime") == 0) {
        long long sec;
        unsigned long ns;
        int used = 0;

        if (sscanf(v, "%lld.%9lu%n", &sec, &ns, &used) != 2 || v[used] || ns > 999999999ul)
            return 0;
        m->btime_s = sec;
        m->btime_ns = (uint32_t)ns;
        return 1u << 3;
    }
    if (strcmp(s, "nonce") == 0)
        return strlen(v) == 2 * sizeof m->nonce && proto_unhex(v, m->nonce, sizeof m->nonce) == 0
                   ? 1u << 4
                   : 0;
    if (strcmp(s, "state") == 0) {
        if (strcmp(v, "armed") != 0 && strcmp(v, "unverified") != 0)
            return 0;
        m->armed = v[0] == 'a';
        return 1u << 5;
    }
    return 0;
}

int store_install_read(const char *data_dir, struct store_install *out)
{
    char path[4200], buf[MARKER_MAX + 1], *line, *save = NULL;
    unsigned seen = 0;
    FILE *f;
    size_t n;

    memset(out, 0, sizeof *out);
    marker_path(data_dir, "", path, sizeof path);
    f = fopen(path, "re");
    if (!f)
        return -errno;
    n = fread(buf, 1, sizeof buf, f);
    if (ferror(f)) {
        fclose(f);
        return -EIO;
    }
    fclose(f);
    if (n > MARKER_MAX || memchr(buf, '\0', n))
        return -EBADMSG;
    buf[n] = '\0';
    line = strtok_r(buf, "\n", &save);
    if (!line || strcmp(line, MARKER_MAGIC) != 0)
        return -EBADMSG;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        unsigned bit = parse_line(line, out);

        if (!bit || (seen & bit))
            return -EBADMSG;
        seen |= bit;
    }
    return seen == 0x3f ? 0 : -EBADMSG;
}

int store_install_write(const char *data_dir, const struct store_install *m)
{
    char path[4200], tmp[4300], text[MARKER_MAX], nonce[2 * sizeof m->nonce + 1];
    int fd, dfd, len, rc = 0;

    proto_hex(m->nonce, sizeof m->nonce, nonce);
    len = snprintf(text, sizeof text,
                   MARKER_MAGIC "\nmachine %s\ndev %" PRIu64 "\nino %" PRIu64 "\nbtime %" PRId64
                                ".%09" PRIu32 "\nnonce %s\nstate %s\n",
                   m->machine, m->dev, m->ino, m->btime_s, m->btime_ns, nonce,
                   m->armed ? "armed" : "unverified");
    if (len < 0 || (size_t)len >= sizeof text)
        return -EINVAL;
    marker_path(data_dir, "", path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    for (const char *p = text; len > 0 && rc == 0;) {
        ssize_t w = write(fd, p, (size_t)len);

        if (w < 0 && errno != EINTR)
            rc = -errno;
        else if (w > 0) {
            p += w;
            len -= (int)w;
        }
    }
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -errno;
    if (rc < 0) {
        (void)unlink(tmp);
        return rc;
    }
    /* The rename is durable only once the directory is synced. */
    dfd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return 0;
}

int store_install_arm(const char *data_dir, struct store_install *out)
{
    struct store_install m;
    int rc = store_install_here(data_dir, &m);

    if (rc == 0)
        rc = store_install_write(data_dir, &m);
    if (rc == 0 && out)
        *out = m;
    return rc;
}

int store_install_ensure(const char *data_dir)
{
    struct store_install m;
    int rc = store_install_read(data_dir, &m);

    if (rc == -ENOENT)
        return store_install_arm(data_dir, NULL);
    return 0; /* present (even damaged: the check reports it; nothing is overwritten here) */
}

int store_install_check(const char *data_dir, struct store *st, const uint8_t author[32],
                        enum store_install_verdict *v)
{
    struct store_install here, m;
    uint8_t tip_id[32];
    uint64_t tip = 0;
    int rc;

    *v = STORE_INSTALL_DAMAGED;
    rc = store_install_here(data_dir, &here);
    if (rc < 0)
        return rc;
    rc = store_install_read(data_dir, &m);
    if (rc == -EBADMSG)
        return 0;
    if (rc == -ENOENT) {
        rc = store_feed_tip(st, author, &tip, tip_id);
        if (rc < 0 && rc != -EEXIST)
            return rc;
        here.armed = rc == 0 && tip == 0;
        rc = store_install_write(data_dir, &here);
        if (rc < 0)
            return rc;
        *v = here.armed ? STORE_INSTALL_OK : STORE_INSTALL_UNVERIFIED;
        return 0;
    }
    if (rc < 0)
        return rc;
    if (strcmp(m.machine, here.machine) != 0)
        *v = STORE_INSTALL_OTHER_MACHINE;
    else if (m.dev != here.dev || m.ino != here.ino || m.btime_s != here.btime_s ||
             m.btime_ns != here.btime_ns)
        *v = STORE_INSTALL_COPIED;
    else
        *v = m.armed ? STORE_INSTALL_OK : STORE_INSTALL_UNVERIFIED;
    return 0;
}

const char *store_install_why(enum store_install_verdict v)
{
    switch (v) {
    case STORE_INSTALL_OK:
        return "is this device's armed install";
    case STORE_INSTALL_COPIED:
        return "was copied or restored (its install marker was written for another directory)";
    case STORE_INSTALL_OTHER_MACHINE:
        return "was copied or restored from another machine (its install marker names another "
               "machine)";
    case STORE_INSTALL_UNVERIFIED:
        return "was copied, restored or upgraded and holds this device's entries without a "
               "verified install marker";
    case STORE_INSTALL_DAMAGED:
        break;
    }
    return "has a damaged install marker (it may have been copied or restored)";
}
