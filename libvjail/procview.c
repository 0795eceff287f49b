/* libvjail/procview.c - the jail's own view of /proc files: what uname,
 * uptime, memory, CPU and disk figures look like from inside. No views yet:
 * each function is the hook the enter sequence calls.
 */
#include "jail.h"
#include "procview.h"

int vj_procview_prepare(struct vjail *j)
{
	(void)j;
	return 0;
}

int vj_procview_commit(struct vjail *j, const char *proc)
{
	(void)j;
	(void)proc;
	return 0;
}

void vj_procview_close(struct vjail *j)
{
	(void)j;
}
