/* libcurl, loaded with dlopen on first use. berth links no libcurl: linking it into bin/berth
 * makes every start (`berth run`, `ps`, ...) load libcurl and the ~30 libraries it depends on
 * (TLS, HTTP/2, IDN, LDAP, SSH, Kerberos), which measurably slows `berth run`; only pull, push,
 * login and a run of an image not present need HTTP. The headers are used for types and
 * constants only. Private to src/engine/registry*.c, pull.c, push.c. */
#ifndef BERTH_ENGINE_REGISTRY_CURL_H
#define BERTH_ENGINE_REGISTRY_CURL_H

#include <curl/curl.h>

struct berr;

struct curl_api {
        CURL *(*easy_init)(void);
        CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
        CURLcode (*easy_perform)(CURL *);
        CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
        void (*easy_cleanup)(CURL *);
        const char *(*easy_strerror)(CURLcode);
        struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
        void (*slist_free_all)(struct curl_slist *);
        CURLM *(*multi_init)(void);
        CURLMcode (*multi_add_handle)(CURLM *, CURL *);
        CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
        CURLMcode (*multi_perform)(CURLM *, int *);
        CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned, int, int *);
        CURLMsg *(*multi_info_read)(CURLM *, int *);
        CURLMcode (*multi_cleanup)(CURLM *);
        CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
};

/* Loads libcurl.so.4 once (then curl_global_init); NULL with a message if it is missing. */
const struct curl_api *curl_api_get(struct berr *e);

#endif
