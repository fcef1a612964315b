/*
 * Human-readable names for error codes: project codes here, errno through strerror, anything
 * else as a generic message.
 */
#include "proto/err.h"

#include <string.h>

const char *err_str(int code)
{
    switch (code) {
    case 0:
        return "success";
    case ERR_BADFRAME:
        return "malformed structure";
    case ERR_NONCANON:
        return "not canonical msgpack";
    case ERR_TRUNC:
        return "truncated: a declared size runs past the end of the input";
    case ERR_TOOBIG:
        return "too large";
    case ERR_DEPTH:
        return "nested too deeply";
    case ERR_UTF8:
        return "invalid UTF-8 in a string";
    case ERR_TYPE:
        return "forbidden msgpack type (map, float or ext)";
    case ERR_BADSIG:
        return "bad signature";
    case ERR_VERSION:
        return "unsupported version";
    case ERR_LEDGER:
        return "belongs to another ledger";
    case ERR_SEQ:
        return "invalid seq/prev";
    case ERR_CHAIN:
        return "prev does not match the previous entry of the feed";
    case ERR_BODY:
        return "body does not match the format of its kind";
    case ERR_GENESIS:
        return "invalid genesis";
    case ERR_STORE:
        return "storage failure";
    case ERR_SCHEMA:
        return "store was written by a newer saksi";
    case ERR_PENDING_FULL:
        return "pending area full";
    case ERR_KEYFILE:
        return "key file damaged or of an unknown format";
    case ERR_PASSPHRASE:
        return "wrong passphrase";
    case ERR_CRYPTO:
        return "cryptographic library failure";
    case ERR_NOLEDGER:
        return "no ledger in this data directory";
    case ERR_LOCKED:
        return "data directory is in use by another writer";
    case ERR_CONFIG:
        return "invalid configuration";
    case ERR_AUTHORITY:
        return "author not allowed to do this";
    case ERR_RULE:
        return "business rule broken";
    case ERR_DATE:
        return "invalid date";
    case ERR_AMOUNT:
        return "invalid amount";
    case ERR_PROOF:
        return "proof does not verify";
    case ERR_NEEDPASS:
        return "the key file is sealed: give --passphrase-file FILE, set SAKSI_PASSPHRASE_FILE, "
               "or run on a terminal";
    case ERR_NOISE:
        return "secure channel failure (Noise handshake or decryption failed)";
    case ERR_EXPIRED:
        return "the invite has expired";
    case ERR_INVITE:
        return "not a valid invite code (damaged or incomplete)";
    case ERR_NOTE:
        return "not a well-formed signed note";
    case ERR_CHECKPOINT:
        return "not a well-formed checkpoint, or it does not match its frontier";
    case ERR_REGRESS:
        return "checkpoint does not extend the earlier one";
    case ERR_QUORUM:
        return "checkpoint lacks the cosignatures its policy asks for";
    default:
        break;
    }
    if (code < 0 && code > -1000)
        return strerror(-code);
    return "unknown error";
}
