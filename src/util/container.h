/* container.h: the struct that holds a member, from the member's address.
 *
 * lws_container_of() casts a char * straight to the struct pointer, which clang's
 * -Wcast-align reports on every target (gcc only where unaligned access traps); the
 * address came from a member of that struct, so it is aligned: the cast goes through
 * void * to say so. */
#ifndef CONFAB_CONTAINER_H
#define CONFAB_CONTAINER_H

#include <stddef.h>

/* The T whose member m is at p. */
#define CF_CONTAINER_OF(p, T, m) ((T *)(void *)((char *)(p) - offsetof(T, m)))

#endif
