#ifndef TESSERA_COPENSSL_SHIM_H
#define TESSERA_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/time.h>

// Function-like macros Swift cannot import, wrapped in functions it can.

static inline int tessera_ssl_ctx_set_dtls12_only(SSL_CTX *ctx) {
    return SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION)
        && SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
}

/// Fixes the DTLS datagram size (no path-MTU queries to the BIO) and refuses renegotiation,
/// which WebRTC never uses. Returns 0 when `mtu` is below DTLS's minimum.
static inline long tessera_ssl_set_webrtc_options(SSL *ssl, long mtu) {
    SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_RENEGOTIATION);
    return SSL_set_mtu(ssl, mtu);
}

/// Microseconds until the DTLS retransmission timer fires, or -1 when no timer runs.
static inline long long tessera_dtls_timeout_us(SSL *ssl) {
    struct timeval remaining = {0, 0};
    if (DTLSv1_get_timeout(ssl, &remaining) != 1) return -1;
    return (long long)remaining.tv_sec * 1000000LL + (long long)remaining.tv_usec;
}

static inline int tessera_dtls_handle_timeout(SSL *ssl) { return (int)DTLSv1_handle_timeout(ssl); }

static inline void tessera_bio_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }
static inline void tessera_bio_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }

#endif
