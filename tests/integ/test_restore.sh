#!/bin/sh
# Restore safety (DESIGN.md "Forks and restore safety", docs/FORMATS.md 7.8): a pengurus
# device a authors and replicates to b; a's data directory is backed up (cp -a, node stopped);
# a authors more, which reaches b; a is stopped and its data directory replaced by the backup.
# The restored a refuses to author (its install marker names the directory it was copied
# from), also while its node runs with no peer to learn from. Started with b as its peer, a
# learns its own feed's latest seq from b's frontier, catches up its own entries, re-arms the
# marker (and logs it); then it authors the next seq: no fork on either node, b's audit clean.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_extra.sh"

# a_seqs NODE: the seqs of a's feed as NODE's store holds them (fork branches too), one a line.
a_seqs() {
    s "$1" log --author "$(sign_key a)" --json 2>/dev/null |
        sed -n 's/.*"seq":\([0-9]*\).*/\1/p'
}
a_len() { a_seqs "$1" | sort -n | tail -n 1; }
# no_fork NODE: forks 0 in NODE's head, and every seq of a's feed stored there once.
no_fork() {
    [ "$(forks_of "$1")" = 0 ] && [ -z "$(a_seqs "$1" | sort | uniq -d)" ] &&
        [ "$(a_seqs "$1" | wc -l)" -eq "$(a_len "$1")" ]
}
install_state() {
    s "$1" node status --json 2>/dev/null | sed -n 's/.*"install":{"state":"\([a-z]*\)".*/\1/p'
}
install_is() { [ "$(install_state "$1")" = "$2" ]; }
# post_out DEVICE N: post, keeping exit code and stderr ($rc, $T/post.err).
post_out() {
    s "$1" journal post --date 2026-02-01 --memo "Setoran $2" --debit 1100=10.000 \
        --credit 3300=10.000 >/dev/null 2>"$T/post.err"
    rc=$?
}
refused() {
    [ "$rc" -eq 1 ] && grep -q "^saksi: error: this data directory was copied or restored" \
        "$T/post.err" && grep -q "saksi node start" "$T/post.err" &&
        [ "$(entries_of a)" = "$1" ]
}

must "ledger founded by a (ketua) with b (bendahara)" make_ledger a b
must "node b starts" start_to b
must "node a starts, dialing b" start_to a b
check "a posts twice through its node" eval 'post a 1 && post a 2'
check "b gets them" wait_for 15 heads_equal a b
check "a's node stops with exit 0" stop a

must "a's data directory is backed up (cp -a, node stopped)" cp -a "$T/a" "$T/a.bak"
BACKUP_LEN=$(a_len a)
check "the backup holds a's feed up to seq 3" test "$BACKUP_LEN" = 3

must "node a starts again, dialing b" start_to a b
check "a posts twice more (seq 4 and 5)" eval 'post a 3 && post a 4'
check "b gets them: b holds a's feed up to seq 5" wait_for 15 heads_equal a b
check "b holds a's feed up to seq 5" test "$(a_len b)" = 5
check "a's node stops with exit 0" stop a

must "a's data directory is replaced by the backup (restored)" \
    eval 'rm -rf "$T/a" && cp -a "$T/a.bak" "$T/a"'
E=$(entries_of a)
post_out a 5
check "the restored a refuses to author: exit 1, names the copy/restore and the node" refused "$E"

must "the restored a's node starts alone (no peer to learn from)" start_to a
check "its log says it waits to learn this device's latest entries" \
    grep -q "restore: this data directory was copied or restored" "$T/a.log"
check "node status: install waiting, no peer reported" \
    eval '[ "$(install_state a)" = waiting ] &&
        s a node status --json | grep -q "\"peers_reported\":0"'
post_out a 5
check "authoring through the waiting node is refused too" refused "$E"
check "a's node stops with exit 0" stop a

must "the restored a starts, dialing b" start_to a b
check "a learns its own latest seq from b, catches up and re-arms its marker" \
    wait_for 15 install_is a armed
check "a's log says so: b showed seq 5, the store holds seq 5" \
    grep -q "restore: install marker re-armed.*feed at seq 5 at most, this store holds seq 5" \
    "$T/a.log"
check "a holds its own feed up to seq 5 again" test "$(a_len a)" = 5
check "the marker names the restored directory, armed" \
    eval '[ "$(sed -n "s/^ino //p" "$T/a/install")" = "$(stat -c %i "$T/a")" ] &&
        grep -q "^state armed$" "$T/a/install"'
post_out a 5
check "a authors again: exit 0" test "$rc" = 0
check "its entry is seq 6, the next one" test "$(a_len a)" = 6
check "b gets it" wait_for 15 heads_equal a b
check "no fork on a (forks 0, every seq of a's feed once)" no_fork a
check "no fork on b" no_fork b
check "b's audit is clean" s b audit
check "a's audit is clean" s a audit
check "a and b stop with exit 0" eval 'stop a && stop b'
finish
