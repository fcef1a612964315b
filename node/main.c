/*
 * saksid, the node: replicates a koperasi's ledger with its peers over encrypted, authenticated
 * connections and serves the saksi CLI on a control socket. Arguments, then the loop; exit 0
 * after SIGINT/SIGTERM with every handle closed, 2 on usage errors, 3 on runtime errors.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node/node.h"
#include "proto/err.h"

static void usage(FILE *f)
{
    fputs("usage: saksid --data DIR [--listen ADDR:PORT] [--peer ADDR:PORT ...]\n"
          "              [--ready-file FILE] [--log-level error|warn|info|debug]\n"
          "              [--passphrase-file FILE] [--no-discovery] [--discovery ADDR:PORT]\n"
          "\n"
          "Runs this device's saksi node: it holds the data directory's write lock, listens\n"
          "for peers (ADDR:0 binds a free port), dials the given peers and keeps the ledger\n"
          "replicated with them. The ready file is written once listening and holds the real\n"
          "address. The saksi CLI reaches the node through <data>/saksid.sock.\n"
          "\n"
          "Settings may also live in <data>/saksid.conf, one per line: 'listen ADDR:PORT',\n"
          "'peer ADDR:PORT' (repeatable), 'log-level LEVEL', 'discovery on|off|ADDR:PORT'.\n"
          "Command-line options win; peers from both are dialed.\n"
          "\n"
          "LAN discovery: every few seconds the node broadcasts a beacon (readable only with\n"
          "the ledger's network key) to ADDR:PORT (default 255.255.255.255:47321) and listens\n"
          "on that port, so devices on one network find each other. --no-discovery turns it\n"
          "off.\n"
          "\n"
          "Exit codes: 0 stopped by SIGINT/SIGTERM, 2 usage, 3 runtime error.\n",
          f);
}

int main(int argc, char **argv)
{
    struct node_config cfg;
    struct node n;
    uv_loop_t loop;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    cfg.log_level = NODE_LOG_INFO;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--no-discovery") == 0) {
            cfg.no_discovery = true;
            continue;
        }
        if (!v) {
            fprintf(stderr, "saksid: error: option '%s' needs a value\n", a);
            return 2;
        }
        if (strcmp(a, "--data") == 0) {
            cfg.data_dir = v;
        } else if (strcmp(a, "--listen") == 0) {
            cfg.listen = v;
        } else if (strcmp(a, "--peer") == 0) {
            if (cfg.npeers == NODE_PEERS_MAX) {
                fprintf(stderr, "saksid: error: at most %d peers\n", NODE_PEERS_MAX);
                return 2;
            }
            cfg.peers[cfg.npeers++] = v;
        } else if (strcmp(a, "--discovery") == 0) {
            cfg.discovery = v;
        } else if (strcmp(a, "--ready-file") == 0) {
            cfg.ready_file = v;
        } else if (strcmp(a, "--passphrase-file") == 0) {
            cfg.passphrase_file = v;
        } else if (strcmp(a, "--log-level") == 0) {
            cfg.log_level = node_level_parse(v);
            cfg.log_level_set = true;
            if (cfg.log_level < 0) {
                fprintf(stderr, "saksid: error: unknown log level '%s'\n", v);
                return 2;
            }
        } else {
            fprintf(stderr, "saksid: error: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
        i++;
    }
    if (!cfg.data_dir) {
        fprintf(stderr, "saksid: error: --data DIR is required\n");
        usage(stderr);
        return 2;
    }
    {
        struct node_config args = cfg;

        rc = node_config_file(&cfg, &args);
        if (rc < 0) {
            if (rc != ERR_CONFIG)
                fprintf(stderr, "saksid: error: cannot read %s/saksid.conf: %s\n", cfg.data_dir,
                        err_str(rc));
            node_config_release(&cfg);
            return 2;
        }
    }
    node_log_level = cfg.log_level;
    /* A peer that resets its connection must cost us an EPIPE, not the process. */
    signal(SIGPIPE, SIG_IGN);
    if (uv_loop_init(&loop) != 0) {
        fprintf(stderr, "saksid: error: cannot initialise the event loop\n");
        node_config_release(&cfg);
        return 3;
    }
    rc = node_init(&n, &loop, &cfg);
    if (rc == 0)
        rc = node_start(&n);
    if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "cannot start: %s", err_str(rc));
        node_stop(&n, 3);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    node_release(&n);
    node_config_release(&cfg);
    rc = uv_loop_close(&loop);
    if (rc != 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "event loop did not close cleanly: %s", uv_strerror(rc));
        return 3;
    }
    return n.exit_code;
}
