/* Unit tests of src/core/mount_opts.h: OCI mount option words -> mount(2) flags and data. */
#include "test.h"

#include "core/mount_opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

static struct mount_opts mo;

/* Parses a NULL-terminated list given as arguments. */
#define PARSE(...)                                                                                 \
        ({                                                                                         \
                char *const _v[] = {__VA_ARGS__, NULL};                                            \
                mount_opts_parse(_v, &mo);                                                         \
        })

TEST(mount_opts_empty_and_null)
{
        memset(&mo, 0xff, sizeof(mo));
        CHECK_INT_EQ(mount_opts_parse(NULL, &mo), 0);
        CHECK_INT_EQ(mo.flags, 0);
        CHECK_INT_EQ(mo.clear, 0);
        CHECK_INT_EQ(mo.propagation, 0);
        CHECK(!mo.bind && !mo.recursive);
        CHECK_STR_EQ(mo.data, "");

        char *const none[] = {NULL};
        memset(&mo, 0xff, sizeof(mo));
        CHECK_INT_EQ(mount_opts_parse(none, &mo), 0);
        CHECK_INT_EQ(mo.flags, 0);
        CHECK_STR_EQ(mo.data, "");
}

TEST(mount_opts_flag_words)
{
        CHECK_INT_EQ(PARSE("nosuid", "noexec", "nodev", "ro"), 0);
        CHECK_INT_EQ(mo.flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY);
        CHECK_INT_EQ(mo.clear, 0);
        CHECK_STR_EQ(mo.data, "");

        static const struct {
                const char *word;
                unsigned long set, clear;
        } words[] = {
                {"ro", MS_RDONLY, 0},           {"rw", 0, MS_RDONLY},
                {"nosuid", MS_NOSUID, 0},       {"suid", 0, MS_NOSUID},
                {"nodev", MS_NODEV, 0},         {"dev", 0, MS_NODEV},
                {"noexec", MS_NOEXEC, 0},       {"exec", 0, MS_NOEXEC},
                {"sync", MS_SYNCHRONOUS, 0},    {"async", 0, MS_SYNCHRONOUS},
                {"dirsync", MS_DIRSYNC, 0},     {"remount", MS_REMOUNT, 0},
                {"mand", MS_MANDLOCK, 0},       {"nomand", 0, MS_MANDLOCK},
                {"atime", 0, MS_NOATIME},       {"noatime", MS_NOATIME, 0},
                {"diratime", 0, MS_NODIRATIME}, {"nodiratime", MS_NODIRATIME, 0},
                {"relatime", MS_RELATIME, 0},   {"norelatime", 0, MS_RELATIME},
                {"strictatime", MS_STRICTATIME, 0}, {"nostrictatime", 0, MS_STRICTATIME},
                {"silent", MS_SILENT, 0},       {"loud", 0, MS_SILENT},
                {"defaults", 0, 0},
        };
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
                char *const v[] = {(char *)words[i].word, NULL};
                CHECK_INT_EQ(mount_opts_parse(v, &mo), 0);
                if (mo.flags != words[i].set || mo.clear != words[i].clear)
                        test_fail(__FILE__, __LINE__, "%s: flags %#lx clear %#lx", words[i].word,
                                  mo.flags, mo.clear);
                if (mo.data[0])
                        test_fail(__FILE__, __LINE__, "%s went to data: %s", words[i].word,
                                  mo.data);
        }
}

TEST(mount_opts_later_word_wins)
{
        CHECK_INT_EQ(PARSE("ro", "rw"), 0);
        CHECK_INT_EQ(mo.flags & MS_RDONLY, 0);
        CHECK_INT_EQ(mo.clear, MS_RDONLY);
        CHECK_INT_EQ(PARSE("rw", "ro"), 0);
        CHECK_INT_EQ(mo.flags, MS_RDONLY);
        CHECK_INT_EQ(mo.clear & MS_RDONLY, 0);
        CHECK_INT_EQ(PARSE("nosuid", "suid", "nosuid"), 0);
        CHECK_INT_EQ(mo.flags, MS_NOSUID);
        CHECK_INT_EQ(mo.clear, 0);
}

TEST(mount_opts_bind_and_propagation)
{
        CHECK_INT_EQ(PARSE("bind"), 0);
        CHECK(mo.bind);
        CHECK(!mo.recursive);
        CHECK_INT_EQ(mo.flags & (MS_BIND | MS_REC), 0); /* kept out of flags */
        CHECK_INT_EQ(PARSE("rbind", "ro"), 0);
        CHECK(mo.bind && mo.recursive);
        CHECK_INT_EQ(mo.flags, MS_RDONLY);
        CHECK_INT_EQ(PARSE("rprivate"), 0);
        CHECK_INT_EQ(mo.propagation, MS_PRIVATE | MS_REC);
        CHECK_STR_EQ(mo.data, "");
        CHECK_INT_EQ(PARSE("shared", "rslave"), 0); /* the last propagation word wins */
        CHECK_INT_EQ(mo.propagation, MS_SLAVE | MS_REC);
        CHECK_INT_EQ(PARSE("unbindable"), 0);
        CHECK_INT_EQ(mo.propagation, MS_UNBINDABLE);
}

TEST(mount_opts_unknown_words_go_to_data)
{
        CHECK_INT_EQ(PARSE("nosuid", "mode=755", "size=65536k", "newinstance"), 0);
        CHECK_INT_EQ(mo.flags, MS_NOSUID);
        CHECK_STR_EQ(mo.data, "mode=755,size=65536k,newinstance");
        CHECK_INT_EQ(PARSE("lowerdir=/a:/b", "upperdir=/u"), 0);
        CHECK_STR_EQ(mo.data, "lowerdir=/a:/b,upperdir=/u");
        /* Case matters: "RO" is not "ro". */
        CHECK_INT_EQ(PARSE("RO"), 0);
        CHECK_INT_EQ(mo.flags, 0);
        CHECK_STR_EQ(mo.data, "RO");
}

TEST(mount_opts_data_overflow)
{
        /* data holds one page including its NUL: 4095 characters fit, 4096 do not. */
        char *big = malloc(5000);
        memset(big, 'a', 4095);
        big[4095] = '\0';
        char *const one[] = {big, NULL};
        CHECK_INT_EQ(mount_opts_parse(one, &mo), 0);
        CHECK_INT_EQ(strlen(mo.data), 4095);

        memset(big, 'a', 4096);
        big[4096] = '\0';
        CHECK_INT_EQ(mount_opts_parse(one, &mo), -E2BIG);

        /* Two options that fit only without the comma. */
        char *half = malloc(2100);
        memset(half, 'b', 2047);
        half[2047] = '\0';
        char *const two[] = {half, half, NULL}; /* 2047 + 1 + 2047 = 4095 fits */
        CHECK_INT_EQ(mount_opts_parse(two, &mo), 0);
        CHECK_INT_EQ(strlen(mo.data), 4095);
        memset(half, 'b', 2048);
        half[2048] = '\0'; /* 2048 + 1 + 2048 = 4097 does not */
        CHECK_INT_EQ(mount_opts_parse(two, &mo), -E2BIG);

        /* Many small options. */
        char *many[2100];
        for (size_t i = 0; i < 2099; i++)
                many[i] = "x";
        many[2099] = NULL;
        CHECK_INT_EQ(mount_opts_parse(many, &mo), -E2BIG); /* 2099*2-1 = 4197 > 4095 */
        many[2048] = NULL;
        CHECK_INT_EQ(mount_opts_parse(many, &mo), 0); /* 2048*2-1 = 4095 */
        CHECK_INT_EQ(strlen(mo.data), 4095);
        free(big);
        free(half);
}

TEST(mount_propagation_words)
{
        CHECK_INT_EQ(mount_propagation_flags("private"), MS_PRIVATE);
        CHECK_INT_EQ(mount_propagation_flags("rprivate"), MS_PRIVATE | MS_REC);
        CHECK_INT_EQ(mount_propagation_flags("shared"), MS_SHARED);
        CHECK_INT_EQ(mount_propagation_flags("rshared"), MS_SHARED | MS_REC);
        CHECK_INT_EQ(mount_propagation_flags("slave"), MS_SLAVE);
        CHECK_INT_EQ(mount_propagation_flags("rslave"), MS_SLAVE | MS_REC);
        CHECK_INT_EQ(mount_propagation_flags("unbindable"), MS_UNBINDABLE);
        CHECK_INT_EQ(mount_propagation_flags("runbindable"), MS_UNBINDABLE | MS_REC);
        CHECK_INT_EQ(mount_propagation_flags(""), 0);
        CHECK_INT_EQ(mount_propagation_flags("ro"), 0);
        CHECK_INT_EQ(mount_propagation_flags("Private"), 0);
        CHECK_INT_EQ(mount_propagation_flags("private "), 0);
        CHECK_INT_EQ(mount_propagation_flags("rbind"), 0);
}
