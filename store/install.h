/*
 * The install marker, <data>/install (docs/FORMATS.md 7.8; DESIGN.md "Forks and restore
 * safety"): which install of a data directory may author as its device. It names the machine
 * (machine id), the data directory itself (device, inode and birth time) and carries a random
 * nonce and a state. A data directory that was copied, restored from a backup or moved to
 * another machine carries a marker that names another install: its device must not author until
 * it has learned its own latest seq from peers (saksid re-arms the marker then), or the user
 * overrides explicitly, because the feed may be longer elsewhere and authoring would fork it.
 */
#ifndef SAKSI_STORE_INSTALL_H
#define SAKSI_STORE_INSTALL_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_INSTALL_MACHINE_MAX 64 /* bytes of a machine id as the marker keeps it */

struct store_install {
    char machine[STORE_INSTALL_MACHINE_MAX + 1]; /* /etc/machine-id, or a fallback */
    uint64_t dev, ino;                           /* the data directory's st_dev, st_ino */
    int64_t btime_s;                             /* its birth time, 0.0 when not reported */
    uint32_t btime_ns;
    uint8_t nonce[16];
    bool armed; /* state: armed (may author) or unverified (waits for peers) */
};

/* Why a data directory may not author as it stands. */
enum store_install_verdict {
    STORE_INSTALL_OK = 0,        /* armed, and it names this install */
    STORE_INSTALL_COPIED,        /* names another directory on this machine */
    STORE_INSTALL_OTHER_MACHINE, /* names another machine */
    STORE_INSTALL_UNVERIFIED,    /* names this install but waits (see store_install_check) */
    STORE_INSTALL_DAMAGED,       /* the marker cannot be read as a marker */
};

/*
 * This install as it is now: the machine id (/etc/machine-id, else /var/lib/dbus/machine-id,
 * else "host:" and the host name), the data directory's device, inode and birth time, a fresh
 * random nonce, armed. -errno if the directory cannot be examined.
 */
int store_install_here(const char *data_dir, struct store_install *out);

/* Reads <data_dir>/install: -ENOENT when there is none, -EBADMSG when it is not a marker. */
int store_install_read(const char *data_dir, struct store_install *out);

/* Writes <data_dir>/install atomically (temporary file, fsync, rename, fsync of the directory),
 * mode 0600. -errno. */
int store_install_write(const char *data_dir, const struct store_install *m);

/* Writes an armed marker for this install (store_install_here), replacing any other. *out (may
 * be NULL) gets what was written. -errno. */
int store_install_arm(const char *data_dir, struct store_install *out);

/* For a data directory that is being born (a new key, a new store): arms it when it has no
 * marker yet, leaves an existing one alone. -errno. */
int store_install_ensure(const char *data_dir);

/*
 * Whether author (this device) may author from data_dir, whose store st is open: compares the
 * marker with this install (the nonce is not compared: it names an install, it does not
 * identify one). A missing marker is an upgrade from a saksi without markers, or a data
 * directory assembled by hand: if st holds no entry of author's feed there is nothing to fork
 * and an armed marker is written (OK); if it holds some, a marker in state unverified is
 * written (UNVERIFIED), because nothing tells this install from a copy. -errno only when the
 * directory cannot be examined or the marker not written; a damaged marker is a verdict.
 */
int store_install_check(const char *data_dir, struct store *st, const uint8_t author[32],
                        enum store_install_verdict *v);

/* The verdict as words that follow "this data directory " ("was copied or restored ..."). */
const char *store_install_why(enum store_install_verdict v);

#endif
