/*
 * <data>/saksid.conf: the node's settings for a data directory, so that a device started with
 * only --data (by 'saksi node start', or by 'saksi join', which writes the first peer here)
 * keeps its listen address and peers. One setting per line; '#' starts a comment:
 *
 *   listen ADDR:PORT        where to accept peers (e.g. 0.0.0.0:47320)
 *   peer ADDR:PORT          a peer to keep dialing (repeatable)
 *   log-level LEVEL         error, warn, info or debug
 *   discovery on|off|ADDR:PORT   LAN beacons (default on, to 255.255.255.255:47321)
 *
 * Command-line options win over the file; peers from both are dialed. An unknown setting or a
 * malformed line is an error naming the file and line, and saksid does not start.
 */
#include "node/node.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"

int node_level_parse(const char *s)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};

    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* "HOST:PORT" with an IPv4 literal and a port 0..65535 (0: any free port). */
static bool addr_ok(const char *s)
{
    char host[PROTO_WIRE_HOST_MAX + 1];
    int port;

    return proto_addr_parse(s, host, &port) == 0;
}

static char *keep(struct node_config *cfg, const char *v)
{
    char *s = strdup(v);

    if (s && cfg->nstrings < sizeof cfg->strings / sizeof cfg->strings[0])
        cfg->strings[cfg->nstrings++] = s;
    else {
        free(s);
        s = NULL;
    }
    return s;
}

int node_config_file(struct node_config *cfg, const struct node_config *args)
{
    char path[4200], line[512];
    FILE *f;
    int lineno = 0, rc = 0;

    snprintf(path, sizeof path, "%s/saksid.conf", cfg->data_dir);
    f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : -errno;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        char *p = line, *key, *val, *extra, *v;

        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            fprintf(stderr, "saksid: error: %s line %d: line too long\n", path, lineno);
            rc = ERR_CONFIG;
            break;
        }
        p[strcspn(p, "#\r\n")] = '\0';
        key = strtok(p, " \t");
        if (!key)
            continue;
        val = strtok(NULL, " \t");
        extra = strtok(NULL, " \t");
        if (!val || extra) {
            fprintf(stderr, "saksid: error: %s line %d: expected '%s VALUE'\n", path, lineno,
                    key);
            rc = ERR_CONFIG;
            break;
        }
        if (strcmp(key, "listen") == 0 || strcmp(key, "peer") == 0) {
            if (!addr_ok(val) || (key[0] == 'p' && strcmp(strrchr(val, ':'), ":0") == 0)) {
                fprintf(stderr, "saksid: error: %s line %d: '%s' is not an ADDR:PORT address\n",
                        path, lineno, val);
                rc = ERR_CONFIG;
            } else if (!(v = keep(cfg, val))) {
                rc = -ENOMEM;
            } else if (key[0] == 'l') {
                if (!args->listen)
                    cfg->listen = v;
            } else if (cfg->npeers == NODE_PEERS_MAX) {
                fprintf(stderr, "saksid: error: %s line %d: at most %d peers\n", path, lineno,
                        NODE_PEERS_MAX);
                rc = ERR_CONFIG;
            } else {
                cfg->peers[cfg->npeers++] = v;
            }
        } else if (strcmp(key, "log-level") == 0) {
            int level = node_level_parse(val);

            if (level < 0) {
                fprintf(stderr, "saksid: error: %s line %d: unknown log level '%s'\n", path,
                        lineno, val);
                rc = ERR_CONFIG;
            } else if (!args->log_level_set) {
                cfg->log_level = level;
            }
        } else if (strcmp(key, "discovery") == 0) {
            if (strcmp(val, "on") == 0 || strcmp(val, "off") == 0) {
                if (!args->no_discovery && !args->discovery)
                    cfg->no_discovery = val[1] == 'f';
            } else if (addr_ok(val) && strcmp(strrchr(val, ':'), ":0") != 0) {
                if (!args->no_discovery && !args->discovery) {
                    if (!(v = keep(cfg, val)))
                        rc = -ENOMEM;
                    cfg->discovery = v;
                    cfg->no_discovery = false;
                }
            } else {
                fprintf(stderr,
                        "saksid: error: %s line %d: discovery is on, off or ADDR:PORT (port 1 to "
                        "65535)\n",
                        path, lineno);
                rc = ERR_CONFIG;
            }
        } else {
            fprintf(stderr,
                    "saksid: error: %s line %d: unknown setting '%s' (listen, peer, log-level, "
                    "discovery)\n",
                    path, lineno, key);
            rc = ERR_CONFIG;
        }
    }
    if (rc == 0 && ferror(f))
        rc = -EIO;
    fclose(f);
    return rc;
}

void node_config_release(struct node_config *cfg)
{
    for (size_t i = 0; i < cfg->nstrings; i++)
        free(cfg->strings[i]);
    cfg->nstrings = 0;
}
