/* nftables through libnftables, loaded with dlopen the first time a rule is needed: a container
 * that publishes nothing on a network that is already up never loads it (nor its libxtables and
 * libgmp). */
#ifndef BERTH_ENGINE_NET_NFT_H
#define BERTH_ENGINE_NET_NFT_H

struct berr;

/* Runs an nft script (one transaction: all of it or nothing). */
int nft_run(const char *script, struct berr *e);

#endif
