#include "core/console.h"

#include "util/cleanup.h"
#include "util/err.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int console_setup_in_container(struct berr *e)
{
        _cleanup_close_ int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0)
                return berr_sys(e, errno, "opening /dev/ptmx in the container");
        int unlock = 0;
        if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
                return berr_sys(e, errno, "unlocking the container's pty");
        /* TIOCGPTPEER opens the peer through the master, never by a path a container could
         * have swapped. */
        _cleanup_close_ int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
        if (peer < 0)
                return berr_sys(e, errno, "opening the container's pty");
        if (setsid() < 0)
                return berr_sys(e, errno, "setsid");
        if (ioctl(peer, TIOCSCTTY, 0) < 0)
                return berr_sys(e, errno, "setting the controlling terminal");
        for (int fd = 0; fd < 3; fd++)
                if (dup2(peer, fd) < 0)
                        return berr_sys(e, errno, "attaching the terminal");
        return steal_fd(master);
}
