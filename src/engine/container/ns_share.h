/* --pid host|container:NAME and --ipc host|container:NAME|private|shareable|none: the pid and
 * IPC namespaces a container shares with the host or with another running container, and its
 * /dev/shm. Saved at create (<cdir>/ns.json, the target named by id as docker records it),
 * applied at each start: the target's init's /proc/<pid>/ns/{pid,ipc} become the spec's
 * namespace paths, so the core joins them (setns) as any OCI runtime would. */
#ifndef BERTH_ENGINE_NS_SHARE_H
#define BERTH_ENGINE_NS_SHARE_H

#include <sys/types.h>

#include "engine/store/lookup.h"

struct berr;
struct spec;
struct run_options;

/* Checks the modes (a container: target must exist and run; an IPC donor must be shareable),
 * sets the spec's /dev/shm mount for the IPC mode and writes <cdir>/ns.json. */
int ns_share_save(const char *root, const char *cdir, const struct run_options *o,
                  struct spec *s, struct berr *e);
/* At each start: the namespace paths of the running targets (docker's error if one stopped). */
int ns_share_prepare_spec(const char *root, const char *cdir, struct spec *s, struct berr *e);
/* What inspect shows as HostConfig.PidMode and IpcMode ("", "host", "container:<id>", ...). */
void ns_share_modes(const char *cdir, char pid_mode[80], char ipc_mode[80]);

#endif
