// The whole core: POSIX semaphores, shared memory and message queues behind
// one error model. No language headers here or below.
#pragma once

#include "posix_ipc/blocking.hpp"
#include "posix_ipc/constants.hpp"
#include "posix_ipc/error.hpp"
#include "posix_ipc/message_queue.hpp"
#include "posix_ipc/name.hpp"
#include "posix_ipc/notification.hpp"
#include "posix_ipc/semaphore.hpp"
#include "posix_ipc/shared_memory.hpp"
#include "posix_ipc/signal_counter.hpp"
#include "posix_ipc/signatures.hpp"
#include "posix_ipc/timeout.hpp"
