/*
 * Shared error codes. Every function in saksi returns 0 on success or a negative code: -errno,
 * a libuv code passed through, or one of the project codes below. The project codes start at
 * -1000 so they stay clear of errno values and of libuv's EAI/EOF codes. err_str() names all of
 * them. This header is the one exception to module prefixes.
 */
#ifndef SAKSI_PROTO_ERR_H
#define SAKSI_PROTO_ERR_H

enum {
    ERR_BADFRAME = -1000, /* malformed message or entry structure */
    ERR_NONCANON,         /* valid msgpack, but not the canonical encoding */
    ERR_TRUNC,            /* a declared size runs past the end of the input */
    ERR_TOOBIG,           /* a size limit was exceeded */
    ERR_DEPTH,            /* nesting deeper than allowed */
    ERR_UTF8,             /* a string is not valid UTF-8 */
    ERR_TYPE,             /* a msgpack type that saksi never uses (map, float, ext) */
    ERR_BADSIG,           /* signature does not verify */
    ERR_VERSION,          /* unsupported entry or file version */
    ERR_LEDGER,           /* entry belongs to another ledger */
    ERR_SEQ,              /* seq/prev rules broken (seq 0, prev on seq 1, no prev on seq > 1) */
    ERR_CHAIN,            /* prev does not match the stored predecessor */
    ERR_BODY,             /* body does not match its kind's format */
    ERR_GENESIS,          /* genesis rules broken */
    ERR_STORE,            /* storage failure */
    ERR_SCHEMA,           /* store written by a newer saksi */
    ERR_PENDING_FULL,     /* the pending area is full */
    ERR_KEYFILE,          /* key file damaged or of an unknown format */
    ERR_PASSPHRASE,       /* wrong passphrase */
    ERR_CRYPTO,           /* libsodium failure */
    ERR_NOLEDGER,         /* the store holds no ledger yet */
    ERR_LOCKED,           /* another writer holds the data directory */
    ERR_CONFIG,           /* bad description or configuration file */
    ERR_AUTHORITY,        /* author lacks the role or standing for this kind */
    ERR_RULE,             /* a business rule would be broken */
    ERR_DATE,             /* invalid business date */
    ERR_AMOUNT,           /* invalid amount */
    ERR_PROOF,            /* a Merkle proof does not verify */
    ERR_NEEDPASS,         /* a sealed key and no way to ask for its passphrase */
    ERR_NOISE,            /* Noise handshake failed, or a transport message did not decrypt */
    ERR_EXPIRED,          /* an invite past its expiry */
    ERR_INVITE,           /* an invite code that is damaged or not an invite code */
    ERR_NOTE,             /* not a well-formed signed note (C2SP signed-note) */
    ERR_CHECKPOINT,       /* not a well-formed checkpoint, or it does not match its frontier */
    ERR_REGRESS,          /* a checkpoint does not extend an earlier one (a feed shrank or left) */
    ERR_QUORUM,           /* a checkpoint lacks the cosignatures its policy asks for */
    ERR_LAST_             /* keep last */
};

/* A static, human-readable description of any code (project, errno or unknown). */
const char *err_str(int code);

#endif
