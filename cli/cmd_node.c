/*
 * saksi node start|stop|status: runs saksid for this data directory in the background (pid
 * file, log file, waiting for its ready file), stops it with SIGTERM and waits for it to exit,
 * and shows its status (peers, frontier, lag) through the control socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "proto/err.h"

#define START_DEADLINE_MS 15000
#define STOP_DEADLINE_MS  15000

static void node_help(FILE *f)
{
    fputs("usage: saksi node start [--listen ADDR:PORT] [--peer ADDR:PORT ...]\n"
          "                        [--no-discovery | --discovery ADDR:PORT]\n"
          "       saksi node stop\n"
          "       saksi node status [--json]\n"
          "       saksi node peers [--json]\n"
          "\n"
          "start   runs saksid for this data directory in the background (log in\n"
          "        <data>/saksid.log, pid in <data>/saksid.pid) and waits until it listens;\n"
          "        --listen defaults to the 'listen' line of <data>/saksid.conf, else\n"
          "        127.0.0.1:0 (a free port, shown by status). LAN discovery is on unless\n"
          "        --no-discovery (or 'discovery off' in saksid.conf)\n"
          "stop    stops it (SIGTERM) and waits until it has exited\n"
          "status  shows the node's ledger head, peers and their lag\n"
          "peers   shows the peer addresses it knows (configured, learned, LAN) and which\n"
          "        are connected\n"
          "\n"
          "While the node runs, commands that write (journal post, member add, ...) send\n"
          "their entries through it, so they reach the peers at once.\n"
          "\n"
          "Exit codes: 0 ok, 1 not running (status, stop), 2 usage, 3 runtime error.\n",
          f);
}


static pid_t read_pid(const struct cli_ctx *ctx)
{
    char path[4200], buf[32];
    FILE *f;
    long pid = 0;

    cli_path(ctx, "saksid.pid", path, sizeof path);
    f = fopen(path, "r");
    if (!f)
        return 0;
    if (fgets(buf, sizeof buf, f))
        pid = strtol(buf, NULL, 10);
    fclose(f);
    if (pid <= 0 || kill((pid_t)pid, 0) < 0)
        return 0;
    return (pid_t)pid;
}

/* saksid next to this saksi binary, else on PATH. */
static void saksid_path(char *out, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

    if (n > 0) {
        char *slash;

        self[n] = '\0';
        slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, size, "%s/saksid", self);
            if (access(out, X_OK) == 0)
                return;
        }
    }
    snprintf(out, size, "saksid");
}

/* Whether <data>/saksid.conf sets a listen address. */
static bool conf_listens(const struct cli_ctx *ctx)
{
    char path[4200], line[512];
    bool found = false;
    FILE *f;

    cli_path(ctx, "saksid.conf", path, sizeof path);
    f = fopen(path, "r");
    if (!f)
        return false;
    while (!found && fgets(line, sizeof line, f)) {
        const char *p = line + strspn(line, " \t");

        found = strncmp(p, "listen", 6) == 0 && (p[6] == ' ' || p[6] == '\t');
    }
    fclose(f);
    return found;
}

int cli_node_start(struct cli_ctx *ctx, const struct cli_node_opts *o)
{
    char exe[PATH_MAX + 16], ready[4200], logf[4200], pidf[4200], pidbuf[32];
    const char *args[12 + 2 * CLI_NODE_PEERS_MAX];
    const char *listen = o->listen;
    int na = 0, logfd;
    pid_t pid;
    uint64_t end;

    if (read_pid(ctx)) {
        cli_err("saksid already runs for '%s' (see 'saksi node status')", ctx->data_dir);
        return CLI_RUNTIME;
    }
    saksid_path(exe, sizeof exe);
    cli_path(ctx, "saksid.ready", ready, sizeof ready);
    cli_path(ctx, "saksid.log", logf, sizeof logf);
    cli_path(ctx, "saksid.pid", pidf, sizeof pidf);
    (void)unlink(ready);
    args[na++] = exe;
    args[na++] = "--data";
    args[na++] = ctx->data_dir;
    /* Without --listen, the config file's address, else a free port on loopback. */
    if (!listen && !conf_listens(ctx))
        listen = "127.0.0.1:0";
    if (listen) {
        args[na++] = "--listen";
        args[na++] = listen;
    }
    args[na++] = "--ready-file";
    args[na++] = ready;
    for (size_t i = 0; i < o->npeers; i++) {
        args[na++] = "--peer";
        args[na++] = o->peers[i];
    }
    if (o->no_discovery)
        args[na++] = "--no-discovery";
    if (o->discovery) {
        args[na++] = "--discovery";
        args[na++] = o->discovery;
    }
    if (ctx->passphrase_file) {
        args[na++] = "--passphrase-file";
        args[na++] = ctx->passphrase_file;
    }
    args[na] = NULL;
    logfd = open(logf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0) {
        cli_err("cannot open '%s': %s", logf, strerror(errno));
        return CLI_RUNTIME;
    }
    pid = fork();
    if (pid < 0) {
        close(logfd);
        cli_err("cannot start saksid: %s", strerror(errno));
        return CLI_RUNTIME;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);

        (void)setsid();
        if (nul >= 0) {
            (void)dup2(nul, STDIN_FILENO);
            (void)dup2(nul, STDOUT_FILENO);
        }
        (void)dup2(logfd, STDERR_FILENO);
        execvp(exe, (char *const *)args);
        _exit(127);
    }
    close(logfd);
    snprintf(pidbuf, sizeof pidbuf, "%ld\n", (long)pid);
    if (cli_file_write(pidf, pidbuf, strlen(pidbuf), 0600, false) < 0)
        cli_warn("cannot write '%s'", pidf);
    /* Wait for the ready file, or for the child to die, with a deadline. */
    end = cli_mono_ms() + START_DEADLINE_MS;
    for (;;) {
        struct stat sb;
        int status;

        if (stat(ready, &sb) == 0 && sb.st_size > 0)
            break;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            (void)unlink(pidf);
            cli_err("saksid exited at start (status %d): see '%s'",
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1, logf);
            return CLI_RUNTIME;
        }
        if (cli_mono_ms() > end) {
            cli_err("saksid did not become ready within %d s: see '%s'", START_DEADLINE_MS / 1000,
                    logf);
            return CLI_RUNTIME;
        }
        cli_pause_ms(20);
    }
    {
        char addr[128] = "";
        FILE *f = fopen(ready, "r");

        if (f) {
            if (!fgets(addr, sizeof addr, f))
                addr[0] = '\0';
            fclose(f);
        }
        addr[strcspn(addr, "\n")] = '\0';
        if (!o->quiet)
            printf("saksid berjalan / running: pid %ld, listening on %s\n", (long)pid, addr);
    }
    return o->quiet ? 0 : cli_stdout_done();
}

static int node_stop(struct cli_ctx *ctx)
{
    char pidf[4200];
    pid_t pid = read_pid(ctx);
    uint64_t end;

    if (!pid) {
        cli_err("saksid does not run for '%s'", ctx->data_dir);
        return CLI_NEG;
    }
    if (kill(pid, SIGTERM) < 0) {
        cli_err("cannot stop saksid (pid %ld): %s", (long)pid, strerror(errno));
        return CLI_RUNTIME;
    }
    end = cli_mono_ms() + STOP_DEADLINE_MS;
    while (kill(pid, 0) == 0) {
        int status;

        /* Our own child (started by this process) must be reaped; others just vanish. */
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
        if (cli_mono_ms() > end) {
            cli_err("saksid (pid %ld) did not stop within %d s", (long)pid,
                    STOP_DEADLINE_MS / 1000);
            return CLI_RUNTIME;
        }
        cli_pause_ms(20);
    }
    cli_path(ctx, "saksid.pid", pidf, sizeof pidf);
    (void)unlink(pidf);
    puts("saksid berhenti / stopped");
    return cli_stdout_done();
}

/* Asks the running node: *reply is its answer without "ok" (the caller's), or an exit code
 * (CLI_NEG: not running; CLI_RUNTIME: it answered with an error) with the error printed. */
static int node_query(struct cli_ctx *ctx, const char *op, json_t **reply)
{
    json_t *req = json_pack("{s:s}", "op", op);
    int rc;

    *reply = NULL;
    rc = req ? cli_node_request(ctx, req, reply) : -ENOMEM;
    json_decref(req);
    if (rc < 0) {
        cli_err("saksid is not reachable for '%s': %s (start it with 'saksi node start')",
                ctx->data_dir, err_str(rc));
        return CLI_NEG;
    }
    if (!json_is_true(json_object_get(*reply, "ok"))) {
        cli_err("saksid: %s", json_string_value(json_object_get(*reply, "error")));
        json_decref(*reply);
        *reply = NULL;
        return CLI_RUNTIME;
    }
    json_object_del(*reply, "ok");
    return CLI_OK;
}

static int node_status(struct cli_ctx *ctx, bool json)
{
    json_t *reply = NULL, *peers;
    size_t i;
    json_t *p;
    int rc = node_query(ctx, "status", &reply);

    if (rc != CLI_OK)
        return rc;
    if (json)
        return cli_json_out(reply);
    printf("ID ledger:     %s\nKepala/head:   %s\nEntri/entries: %lld applied, %lld stored, "
           "%lld pending, %lld forks\n",
           json_string_value(json_object_get(reply, "ledger_id")),
           json_string_value(json_object_get(reply, "head")),
           (long long)json_integer_value(json_object_get(reply, "applied")),
           (long long)json_integer_value(json_object_get(reply, "entries")),
           (long long)json_integer_value(json_object_get(reply, "pending")),
           (long long)json_integer_value(json_object_get(reply, "forks")));
    if (json_object_get(reply, "listen"))
        printf("Mendengar/listening on: %s\n",
               json_string_value(json_object_get(reply, "listen")));
    if (json_object_get(reply, "install")) {
        json_t *in = json_object_get(reply, "install");
        const char *st = json_string_value(json_object_get(in, "state"));

        if (st && strcmp(st, "waiting") == 0)
            printf("Pemasangan/install: direktori ini disalin atau dipulihkan; menunggu entri "
                   "terakhir perangkat ini dari peer / this data directory %s: waiting for its "
                   "peers (%lld reported, own seq seen %lld); authoring refused until then\n",
                   json_string_value(json_object_get(in, "reason")),
                   (long long)json_integer_value(json_object_get(in, "peers_reported")),
                   (long long)json_integer_value(json_object_get(in, "own_seq_seen")));
        else
            puts("Pemasangan/install: siap / armed");
    }
    if (json_object_get(reply, "joining")) {
        json_t *j = json_object_get(reply, "joining");

        if (json_is_true(json_object_get(j, "admitted")))
            puts("Bergabung/joining: perangkat ini sudah diterima / this device is admitted");
        else
            printf("Bergabung/joining: menunggu penerimaan pengurus / waiting for the board "
                   "(genesis %s, join request %s, roster shown: %lld devices)\n",
                   json_is_true(json_object_get(j, "genesis")) ? "received" : "not yet",
                   json_is_true(json_object_get(j, "request_delivered")) ? "delivered"
                                                                         : "not yet delivered",
                   (long long)json_integer_value(json_object_get(j, "roster_devices")));
    }
    puts("Peer:");
    peers = json_object_get(reply, "peers");
    json_array_foreach(peers, i, p)
    {
        printf("  %-24s %-9s %-3s lag %lld\n", json_string_value(json_object_get(p, "name")),
               json_string_value(json_object_get(p, "state")),
               json_string_value(json_object_get(p, "direction")),
               (long long)json_integer_value(json_object_get(p, "lag")));
    }
    if (json_array_size(peers) == 0)
        puts("  (none connected)");
    json_decref(reply);
    return cli_stdout_done();
}

static int node_peers(struct cli_ctx *ctx, bool json)
{
    json_t *reply = NULL, *list, *p;
    size_t i;
    int rc = node_query(ctx, "peers", &reply);

    if (rc != CLI_OK)
        return rc;
    if (json)
        return cli_json_out(reply);
    list = json_object_get(reply, "addresses");
    puts("Alamat peer / peer addresses:");
    json_array_foreach(list, i, p)
    {
        const char *dev = json_string_value(json_object_get(p, "device"));

        printf("  %-22s %-8s %-9s %.16s%s\n", json_string_value(json_object_get(p, "address")),
               json_string_value(json_object_get(p, "source")),
               json_is_true(json_object_get(p, "connected")) ? "connected" : "-",
               dev ? dev : "(device unknown)",
               json_is_true(json_object_get(p, "self")) ? " (this node)" : "");
    }
    if (json_array_size(list) == 0)
        puts("  (none known yet)");
    json_decref(reply);
    return cli_stdout_done();
}

int cmd_node(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {"listen", required_argument, NULL, 'l'},
        {"peer", required_argument, NULL, 'p'},
        {"no-discovery", no_argument, NULL, 'n'},
        {"discovery", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    struct cli_node_opts o;
    int c;
    bool json = ctx->json;
    const char *sub;

    if (argc < 2)
        return cli_usage("node", "missing subcommand (start, stop, status or peers)");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        node_help(stdout);
        return cli_stdout_done();
    }
    sub = argv[1];
    memset(&o, 0, sizeof o);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, ":hjl:p:nd:", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            node_help(stdout);
            return cli_stdout_done();
        case 'j':
            json = true;
            break;
        case 'l':
            o.listen = optarg;
            break;
        case 'p':
            if (o.npeers == CLI_NODE_PEERS_MAX)
                return cli_usage("node", "at most %d peers", CLI_NODE_PEERS_MAX);
            o.peers[o.npeers++] = optarg;
            break;
        case 'n':
            o.no_discovery = true;
            break;
        case 'd':
            o.discovery = optarg;
            break;
        default:
            return cli_opt_error("node", c, argv + 1);
        }
    }
    if (optind != argc - 1)
        return cli_usage("node", "unexpected argument '%s'", argv[optind + 1]);
    if (strcmp(sub, "start") == 0)
        return cli_node_start(ctx, &o);
    if (strcmp(sub, "peers") == 0)
        return node_peers(ctx, json);
    if (strcmp(sub, "stop") == 0)
        return node_stop(ctx);
    if (strcmp(sub, "status") == 0)
        return node_status(ctx, json);
    return cli_usage("node", "unknown subcommand '%s' (use start, stop, status or peers)", sub);
}
