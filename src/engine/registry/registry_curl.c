/* dlopen of libcurl: see registry_curl.h for why it is not linked. */
#include "engine/registry/registry_curl.h"

#include "util/err.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

static struct curl_api api;
static const char *load_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define SYM(field, name)                                                                           \
        do {                                                                                       \
                *(void **)&api.field = dlsym(h, name);                                             \
                if (!api.field) {                                                                  \
                        load_error = "libcurl.so.4 has no " name " (libcurl 7.66 or newer needed)"; \
                        return;                                                                    \
                }                                                                                  \
        } while (0)

static void load(void)
{
        static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};
        void *h = NULL;
        for (size_t i = 0; !h && i < sizeof(names) / sizeof(names[0]); i++)
                h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
                load_error = "libcurl is not installed (Debian: apt-get install libcurl4); "
                             "pull, push and login need it";
                return;
        }
        CURLcode (*global_init)(long);
        *(void **)&global_init = dlsym(h, "curl_global_init");
        if (!global_init) {
                load_error = "libcurl.so.4 has no curl_global_init";
                return;
        }
        SYM(easy_init, "curl_easy_init");
        SYM(easy_setopt, "curl_easy_setopt");
        SYM(easy_perform, "curl_easy_perform");
        SYM(easy_getinfo, "curl_easy_getinfo");
        SYM(easy_cleanup, "curl_easy_cleanup");
        SYM(easy_strerror, "curl_easy_strerror");
        SYM(slist_append, "curl_slist_append");
        SYM(slist_free_all, "curl_slist_free_all");
        SYM(multi_init, "curl_multi_init");
        SYM(multi_add_handle, "curl_multi_add_handle");
        SYM(multi_remove_handle, "curl_multi_remove_handle");
        SYM(multi_perform, "curl_multi_perform");
        SYM(multi_poll, "curl_multi_poll");
        SYM(multi_info_read, "curl_multi_info_read");
        SYM(multi_cleanup, "curl_multi_cleanup");
        SYM(multi_setopt, "curl_multi_setopt");
        if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
                load_error = "libcurl failed to initialise";
}

const struct curl_api *curl_api_get(struct berr *e)
{
        pthread_once(&once, load);
        if (load_error) {
                berr_set(e, ENOSYS, "%s", load_error);
                return NULL;
        }
        return &api;
}
