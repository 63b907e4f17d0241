// `$q channel`: a Tcl channel over a message queue's descriptor, for
// `fileevent` only. Included by posix_ipc_tcl_objects.hpp.
//
// On Linux an mqd is a pollable descriptor: readable while a message is
// waiting, writable while the queue has room. The channel's watchProc hands
// that descriptor to the notifier (Tcl_CreateFileHandler), so
//     fileevent [$q channel] readable [list on_message $q]
// runs on_message from the event loop, which then calls `$q receive 0`.
//
// Ownership: the queue object owns the descriptor. The channel never closes
// it (closing any descriptor of a queue, a dup included, would drop this
// process's notification request) and never reads or writes it: `read`,
// `gets` and `puts` on the channel fail with {POSIX_IPC Error} and say to use
// receive/send. Either side may go first:
//  - `close $chan` (or the interp's teardown) runs channel_close, which stops
//    watching and unlinks the channel from its queue: the queue keeps working
//    and a later `$q channel` makes a new channel;
//  - `$q close`, `$q destroy`, `rename $q {}` detach the channel first (stop
//    watching, forget the descriptor, whose number may be reused as soon as it
//    is closed), then unregister it from the interp that made it, which closes
//    it. If the channel was also shared with or transferred to another interp
//    (`interp share`/`interp transfer`), it stays open there, detached: no
//    events, and reading it says the queue is closed.
// Everything happens on the thread of the queue object. A channel moved to
// another thread (Thread's thread::transfer or thread::detach) is detached as
// it leaves: only this thread's notifier can watch the descriptor, and the
// queue's close here must never reach into another thread (before, closing
// the queue and reusing its descriptor number made the other thread's
// notifier call into a freed channel). There it gives no events, and
// read/gets/puts say it was moved.
#pragma once

#include <cerrno>
#include <cstdint>
#include <string>

#include "posix_ipc_tcl.hpp"

namespace posix_ipc_tcl {

struct QueueChannel {
    Tcl_Channel channel = nullptr;
    Tcl_Interp* interp = nullptr;   // the interp of the queue object (and of `$q channel`)
    QueueChannel** link = nullptr;  // the queue handle's pointer to us; nullptr once detached
    int fd = -1;                    // the mqd; -1 once detached
    int watching = 0;               // the mask given to Tcl_CreateFileHandler, 0 if none
    bool moved = false;             // cut from the queue's thread (detached then)
};

inline std::atomic<unsigned long> channel_counter{0};

inline void channel_unwatch(QueueChannel* queue_channel) {
    if (queue_channel->watching) {
        Tcl_DeleteFileHandler(queue_channel->fd);
        queue_channel->watching = 0;
    }
}

// The file handler: the descriptor is ready for what `mask` says.
inline void channel_ready(ClientData data, int mask) {
    Tcl_NotifyChannel(static_cast<QueueChannel*>(data)->channel, mask);
}

inline void channel_watch(ClientData data, int mask) {
    auto* queue_channel = static_cast<QueueChannel*>(data);
    mask &= TCL_READABLE | TCL_WRITABLE | TCL_EXCEPTION;
    if (queue_channel->fd < 0) mask = 0;
    if (mask == queue_channel->watching) return;
    if (mask == 0) {
        channel_unwatch(queue_channel);
        return;
    }
    Tcl_CreateFileHandler(queue_channel->fd, mask, channel_ready, queue_channel);  // replaces an older mask
    queue_channel->watching = mask;
}

// Never touches the descriptor. A close2Proc (Tcl 9 has no closeProc); closing
// one direction (`close $chan read`) is refused, as Tcl 8.6 refuses it for a
// driver without close2Proc.
inline int channel_close(ClientData data, Tcl_Interp*, int flags) {
    if (flags & (TCL_CLOSE_READ | TCL_CLOSE_WRITE)) return EINVAL;
    auto* queue_channel = static_cast<QueueChannel*>(data);
    channel_unwatch(queue_channel);
    if (queue_channel->link) *queue_channel->link = nullptr;
    delete queue_channel;
    return 0;
}

// The error `read`/`gets`/`puts` report, in the shape Tcl's channel commands
// take from a driver (return options, then the message): -errorcode
// {POSIX_IPC Error}, or once the queue is closed the core's QueueClosed error
// (its class and text, as `$q receive` gives).
inline int channel_refuse(QueueChannel* queue_channel, const char* method, int* error_code) {
    const bool detached = queue_channel->fd < 0 && !queue_channel->moved;
    constexpr posix_ipc::ErrorCode closed = posix_ipc::ErrorCode::QueueClosed;
    const char* text = queue_channel->moved
                           ? "a message queue's channel works only in the queue's thread: this one was moved to another"
                       : detached ? posix_ipc::text_of(closed)
                                  : "a message queue's channel is only for fileevent: use the queue's ";
    Tcl_Obj* message = Tcl_NewStringObj(text, -1);  // Tcl's allocator, not C++'s: nothing here throws
    if (!queue_channel->moved && !detached) Tcl_AppendStringsToObj(message, method, " method", nullptr);
    Tcl_Obj* error_code_list = Tcl_NewListObj(0, nullptr);
    Tcl_ListObjAppendElement(nullptr, error_code_list, Tcl_NewStringObj("POSIX_IPC", -1));
    Tcl_ListObjAppendElement(nullptr, error_code_list, Tcl_NewStringObj(posix_ipc::kind_name(detached ? posix_ipc::kind_of(closed) : posix_ipc::ErrorKind::Error), -1));
    Tcl_Obj* items[] = {Tcl_NewStringObj("-code", -1),
                        Tcl_NewIntObj(TCL_ERROR),
                        Tcl_NewStringObj("-level", -1),
                        Tcl_NewIntObj(0),
                        Tcl_NewStringObj("-errorcode", -1),
                        error_code_list,
                        message};
    Tcl_SetChannelError(queue_channel->channel, Tcl_NewListObj(7, items));
    *error_code = EINVAL;
    return -1;
}

inline int channel_input(ClientData data, char*, int, int* error_code) {
    return channel_refuse(static_cast<QueueChannel*>(data), "receive", error_code);
}

inline int channel_output(ClientData data, const char*, int, int* error_code) {
    return channel_refuse(static_cast<QueueChannel*>(data), "send", error_code);
}

// The descriptor, for Tcl_GetChannelHandle (e.g. an extension that polls it).
inline int channel_handle(ClientData data, int, ClientData* handle) {
    auto* queue_channel = static_cast<QueueChannel*>(data);
    if (queue_channel->fd < 0) return TCL_ERROR;
    *handle = reinterpret_cast<ClientData>(static_cast<std::intptr_t>(queue_channel->fd));
    return TCL_OK;
}

// -blocking is the channel's own flag (Tcl keeps it); the queue's -block is
// unrelated and unchanged.
inline int channel_block_mode(ClientData, int) { return 0; }

// Cut from this thread (the queue's: a channel is made there, and once cut it
// is detached for good): stop watching here and leave the queue, so nothing of
// this thread refers to the channel afterwards (see the top of this file).
inline void channel_thread_action(ClientData data, int action) {
    if (action != TCL_CHANNEL_THREAD_REMOVE) return;
    auto* queue_channel = static_cast<QueueChannel*>(data);
    channel_unwatch(queue_channel);
    if (queue_channel->link) *queue_channel->link = nullptr;
    queue_channel->link = nullptr;
    queue_channel->fd = -1;
    queue_channel->moved = true;
}

inline const Tcl_ChannelType queue_channel_type = {
    "posix_ipc_mq",          // typeName
    TCL_CHANNEL_VERSION_5,   // version
    TCL_CLOSE2PROC,          // closeProc: close2Proc is used
    channel_input,           // inputProc
    channel_output,          // outputProc
    nullptr,                 // seekProc
    nullptr,                 // setOptionProc
    nullptr,                 // getOptionProc
    channel_watch,           // watchProc
    channel_handle,          // getHandleProc
    channel_close,           // close2Proc
    channel_block_mode,      // blockModeProc
    nullptr,                 // flushProc
    nullptr,                 // handlerProc
    nullptr,                 // wideSeekProc
    channel_thread_action,   // threadActionProc
    nullptr,                 // truncateProc
};

// Before the queue closes its descriptor or its object goes away: stop
// watching, forget the descriptor, then close the channel by unregistering it
// from its interp (not during that interp's deletion: its channel table closes
// it then). Leaves the interp's result, return options and errorCode alone.
inline void detach_channel(QueueChannel*& slot) {
    QueueChannel* queue_channel = slot;
    if (!queue_channel) return;
    slot = nullptr;
    queue_channel->link = nullptr;
    channel_unwatch(queue_channel);
    queue_channel->fd = -1;
    Tcl_Interp* interp = queue_channel->interp;
    Tcl_Channel channel = queue_channel->channel;  // queue_channel may be freed below
    if (Tcl_InterpDeleted(interp) || !Tcl_IsChannelRegistered(interp, channel)) return;
    Tcl_InterpState saved = Tcl_SaveInterpState(interp, TCL_OK);
    Tcl_UnregisterChannel(interp, channel);
    Tcl_RestoreInterpState(interp, saved);
}

// $q channel: this queue's channel in this interp, made on first use. It can
// watch for readable when the queue is open for reading and for writable when
// it is open for writing.
inline int queue_channel(Tcl_Interp* interp, posix_ipc::MessageQueue& queue, QueueChannel*& slot) {
#if !POSIX_IPC_MESSAGE_QUEUES_SUPPORTED
    (void)queue;
    (void)slot;
    return set_error(interp, posix_ipc::ErrorCode::NotSupported);  // no queue, no descriptor
#else
    if (queue.closed()) return set_error(interp, posix_ipc::ErrorCode::QueueClosed);
    if (slot) {
        if (Tcl_IsChannelRegistered(interp, slot->channel)) {
            Tcl_SetObjResult(interp, Tcl_NewStringObj(Tcl_GetChannelName(slot->channel), -1));
            return TCL_OK;
        }
        detach_channel(slot);  // transferred to another interp: it stays there, detached
    }
    std::string name;
    do {
        name = "mqchan" + std::to_string(++channel_counter);
    } while (Tcl_IsChannelExisting(name.c_str()));
    auto* queue_channel = new QueueChannel;
    queue_channel->interp = interp;
    queue_channel->fd = queue.mqd();
    const int mode = (queue.can_read() ? TCL_READABLE : 0) | (queue.can_write() ? TCL_WRITABLE : 0);
    Tcl_Channel channel = Tcl_CreateChannel(&queue_channel_type, name.c_str(), queue_channel, mode);
    queue_channel->channel = channel;
    Tcl_RegisterChannel(interp, channel);
    Tcl_SetChannelOption(nullptr, channel, "-translation", "binary");
    Tcl_SetChannelOption(nullptr, channel, "-buffering", "none");  // `puts` fails now, not at close
    queue_channel->link = &slot;
    slot = queue_channel;
    // Not always `name`: when stdin (stdout, stderr) was closed, Tcl makes
    // the next channel created the new one, under that name, as with `open`.
    Tcl_SetObjResult(interp, Tcl_NewStringObj(Tcl_GetChannelName(channel), -1));
    return TCL_OK;
#endif
}

}  // namespace posix_ipc_tcl
