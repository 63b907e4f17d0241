// Tcl glue for the SWIG module: errors, argument conversion, the signal
// helpers and the event-loop delivery of callback notifications. Included by
// swig/tcl.i only (before the SWIG-generated wrappers).
#pragma once

#include <tcl.h>

#include <signal.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "posix_ipc/posix_ipc.hpp"

namespace posix_ipc_binding {
// Tcl has no global lock to release around a blocking call.
using BlockingRegion = posix_ipc::NoRegion;
}  // namespace posix_ipc_binding

namespace posix_ipc_tcl {

// ---- Tcl 8.6 and Tcl 9 from one source --------------------------------------
// Lengths are Tcl_Size in Tcl 9 (64-bit), int in 8.6.
#if TCL_MAJOR_VERSION >= 9
using Size = Tcl_Size;
#else
using Size = int;
#endif
// What Tcl_EventuallyFree hands its callback.
#if TCL_MAJOR_VERSION >= 9
using FreeProcData = void*;
constexpr long long kMaxByteArray = TCL_SIZE_MAX;
#else
using FreeProcData = char*;
constexpr long long kMaxByteArray = INT_MAX;
#endif

// ---- errors ------------------------------------------------------------------
// The core's texts name Python's None; Tcl's word for it is the empty string.
inline const char* tcl_text(const posix_ipc::IpcError& error) {
    switch (error.code()) {
    case posix_ipc::ErrorCode::BadTimeout: return "The timeout must be an empty string or a non-negative number";
    case posix_ipc::ErrorCode::RandomNameNeedsExcl: return "The name can only be an empty string if O_EXCL is set";
    case posix_ipc::ErrorCode::BadNotification:
        return "The notification must be an empty string, an integer (a signal number) or a non-empty command prefix";
    default: return error.what();
    }
}

// Result: the message text; -errorcode {POSIX_IPC <Class> ?errno?}.
// BusyError carries no errno, whichever path made it (EAGAIN, ETIMEDOUT or a
// semaphore's trywait), as upstream posix_ipc and the Python and Lua modules.
inline int set_error(Tcl_Interp* interp, const posix_ipc::IpcError& error) {
    Tcl_SetObjResult(interp, Tcl_NewStringObj(tcl_text(error), -1));
    if (error.error_number() != 0 && error.kind() != posix_ipc::ErrorKind::BusyError) {
        char number[32];
        std::snprintf(number, sizeof number, "%d", error.error_number());
        Tcl_SetErrorCode(interp, "POSIX_IPC", error.kind_name(), number, static_cast<char*>(nullptr));
    } else {
        Tcl_SetErrorCode(interp, "POSIX_IPC", error.kind_name(), static_cast<char*>(nullptr));
    }
    return TCL_ERROR;
}

inline int set_error(Tcl_Interp* interp, posix_ipc::ErrorCode code) {
    return set_error(interp, posix_ipc::IpcError(code));
}

// An error of a class the core does not have (AttributeError), same shape.
inline int set_error(Tcl_Interp* interp, const char* kind, const std::string& message) {
    Tcl_SetObjResult(interp, Tcl_NewStringObj(message.c_str(), -1));
    Tcl_SetErrorCode(interp, "POSIX_IPC", kind, static_cast<char*>(nullptr));
    return TCL_ERROR;
}

// ---- conversions (TCL_OK, or TCL_ERROR with the interp's result set) --------

// "" picks a random name. Tcl keeps NUL as the two bytes C0 80 in its
// strings: they are turned back into a NUL so the core rejects the name.
inline int to_name(Tcl_Interp* interp, Tcl_Obj* object, posix_ipc::Name& name) {
    Size length = 0;
    const char* text = Tcl_GetStringFromObj(object, &length);
    try {
        if (length == 0) {
            name = posix_ipc::Name::random();
            return TCL_OK;
        }
        std::string value(text, static_cast<size_t>(length));
        for (size_t at = value.find("\xC0\x80"); at != std::string::npos; at = value.find("\xC0\x80", at + 1))
            value.replace(at, 2, 1, '\0');
        name = posix_ipc::Name::from(std::move(value));
    } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) as a Tcl error
        return set_error(interp, posix_ipc::current_error());
    }
    return TCL_OK;
}

// "" waits forever; a number is validated by the core (negative/NaN: TypeError).
inline int to_timeout(Tcl_Interp* interp, Tcl_Obj* object, posix_ipc::Timeout& timeout) {
    double seconds;
    if (Tcl_GetDoubleFromObj(nullptr, object, &seconds) != TCL_OK) {
        Size length = 0;
        Tcl_GetStringFromObj(object, &length);
        if (length == 0) {
            timeout = posix_ipc::Timeout::forever();
            return TCL_OK;
        }
        return set_error(interp, posix_ipc::ErrorCode::BadTimeout);
    }
    try {
        timeout = posix_ipc::Timeout::seconds(seconds);
    } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) as a Tcl error
        return set_error(interp, posix_ipc::current_error());
    }
    return TCL_OK;
}

// Tcl 8.6's byte-array type, looked up once by init() (stubs give no other
// way to it). Tcl 9 registers no "bytearray" type: Tcl_GetBytesFromObj is its way.
inline std::atomic<const Tcl_ObjType*> byte_array_type{nullptr};

// The error for a character above U+00FF at `at` in the string `text`
// (the wording of Tcl 9's Tcl_GetBytesFromObj, plus the remedy).
inline int not_bytes_error(Tcl_Interp* interp, const char* text, const char* at, Tcl_UniChar first) {
    const auto* lead = reinterpret_cast<const unsigned char*>(at);
    const char* after = Tcl_UtfNext(at);
    long character = first;
    if (lead[0] >= 0xF0 && lead[0] < 0xF5 && (lead[1] & 0xC0) == 0x80 && (lead[2] & 0xC0) == 0x80 &&
        (lead[3] & 0xC0) == 0x80) {  // a 4-byte sequence, which Tcl 8.6 reads as a surrogate pair
        character = ((lead[0] & 0x07L) << 18) | ((lead[1] & 0x3FL) << 12) | ((lead[2] & 0x3FL) << 6) | (lead[3] & 0x3F);
        after = at + 4;
    } else if (first >= 0xD800 && first < 0xDC00) {  // a surrogate pair (how 8.6 keeps U+10000 and up)
        Tcl_UniChar low = 0;
        const int size = Tcl_UtfToUniChar(after, &low);
        if (low >= 0xDC00 && low < 0xE000) {
            character = 0x10000 + ((first - 0xD800L) << 10) + (low - 0xDC00);
            after += size;
        }
    }
    char index[32], code[32];
    std::snprintf(index, sizeof index, "%d", static_cast<int>(Tcl_NumUtfChars(text, static_cast<Size>(at - text))));
    std::snprintf(code, sizeof code, "%06lX", character);
    return set_error(interp, "ValueError",
                     std::string("expected byte sequence but character ") + index + " was '" +
                         std::string(at, static_cast<size_t>(after - at)) + "' (U+" + code +
                         "); convert text with \"encoding convertto utf-8\"");
}

// The first byte from 0xC4 up in [at, end), or end. Text of any length is
// checked on every send, so it goes 8 bytes per step (one portable SWAR test;
// a byte at a time cost 15% on a 4 KiB send).
inline const char* next_wide_lead(const char* at, const char* end) {
    constexpr std::uint64_t bit7 = 0x8080808080808080ULL, bits2to5 = 0x3C3C3C3C3C3C3C3CULL;
    for (; end - at >= 8; at += 8) {
        std::uint64_t word;
        std::memcpy(&word, at, 8);
        const std::uint64_t from_c0 = word & (word << 1) & bit7;                       // 0xC0 and up
        const std::uint64_t past_c3 = (((word & bits2to5) + bits2to5) << 1) & bit7;  // bits 2-5 not all 0
        if (from_c0 & past_c3) break;
    }
    while (at < end && static_cast<unsigned char>(*at) < 0xC4) ++at;
    return at;
}

// Messages and data are bytes: a byte array, or a string of characters up to
// U+00FF (each one byte). A character above U+00FF is a ValueError, never
// silently cut to its low byte as Tcl_GetByteArrayFromObj would. The bytes
// stay owned by `object`.
inline int not_bytes(Tcl_Interp* interp, Tcl_Obj* object);

inline int to_bytes(Tcl_Interp* interp, Tcl_Obj* object, posix_ipc::Bytes& bytes) {
#if TCL_MAJOR_VERSION >= 9
    // Tcl 9 keeps only proper byte arrays: a pure one is returned as it is
    // (the fast path), other text is converted when every character is a byte.
    Size length = 0;
    const unsigned char* data = Tcl_GetBytesFromObj(nullptr, object, &length);
    if (data == nullptr) return not_bytes(interp, object);
    bytes = posix_ipc::Bytes{reinterpret_cast<const char*>(data), static_cast<size_t>(length)};
    return TCL_OK;
#else
    // A pure byte array (no string rep) holds bytes only: the fast path. Any
    // other value is checked through its string rep. In Tcl's UTF-8 a
    // character up to U+00FF is a byte below 0x80 or a pair led by 0xC0-0xC3,
    // so only a lead byte from 0xC4 on may start one above. (A byte array
    // with a string rep may come from a lossy conversion, e.g. `binary scan`
    // of text: the string is the value.)
    if (object->typePtr != byte_array_type.load(std::memory_order_relaxed) || object->bytes != nullptr) {
        Size length = 0;
        const char* text = Tcl_GetStringFromObj(object, &length);
        const char* const end = text + length;
        for (const char* at = next_wide_lead(text, end); at < end; at = next_wide_lead(at, end)) {
            Tcl_UniChar character = 0;
            const int size = Tcl_UtfToUniChar(at, &character);  // a malformed sequence reads as one byte
            if (character > 0xFF) return not_bytes_error(interp, text, at, character);
            at += size;
        }
    }
    Size length = 0;
    const unsigned char* data = Tcl_GetByteArrayFromObj(object, &length);
    bytes = posix_ipc::Bytes{reinterpret_cast<const char*>(data), static_cast<size_t>(length)};
    return TCL_OK;
#endif
}

// Tcl 9: the error for text that holds a character above U+00FF (found again
// in its string, to name it as 8.6 does).
inline int not_bytes(Tcl_Interp* interp, Tcl_Obj* object) {
    Size length = 0;
    const char* text = Tcl_GetStringFromObj(object, &length);
    const char* const end = text + length;
    for (const char* at = next_wide_lead(text, end); at < end; at = next_wide_lead(at, end)) {
        Tcl_UniChar character = 0;
        const int size = Tcl_UtfToUniChar(at, &character);
        if (character > 0xFF) return not_bytes_error(interp, text, at, character);
        at += size;
    }
    return set_error(interp, "ValueError", "expected byte sequence");  // not reached: Tcl found one above
}

inline int to_bool(Tcl_Interp* interp, Tcl_Obj* object, bool& value) {
    int flag = 0;
    if (Tcl_GetBooleanFromObj(interp, object, &flag) != TCL_OK) return TCL_ERROR;
    value = flag != 0;
    return TCL_OK;
}

// After Tcl_GetWideIntFromObj failed: was it an integer beyond 64 bits (Tcl's
// ARITH IOVERFLOW)?
inline bool is_wide_overflow(Tcl_Interp* interp) {
    Tcl_Obj* options = Tcl_GetReturnOptions(interp, TCL_ERROR);
    Tcl_IncrRefCount(options);
    Tcl_Obj* key = Tcl_NewStringObj("-errorcode", -1);
    Tcl_IncrRefCount(key);
    Tcl_Obj* code = nullptr;
    Tcl_DictObjGet(nullptr, options, key, &code);
    Tcl_Obj* first = nullptr;
    Tcl_Obj* second = nullptr;
    const bool overflow = code && Tcl_ListObjIndex(nullptr, code, 0, &first) == TCL_OK && first &&
                          Tcl_ListObjIndex(nullptr, code, 1, &second) == TCL_OK && second &&
                          std::strcmp(Tcl_GetString(first), "ARITH") == 0 &&
                          std::strcmp(Tcl_GetString(second), "IOVERFLOW") == 0;
    Tcl_DecrRefCount(key);
    Tcl_DecrRefCount(options);
    return overflow;
}

// Tcl_GetWideIntFromObj failed: an integer beyond 64 bits becomes
// {POSIX_IPC OverflowError}, as in Python, wherever it is; else Tcl's error.
inline int wide_error(Tcl_Interp* interp) {
    if (is_wide_overflow(interp)) return set_error(interp, "OverflowError", "integer value too large to represent");
    return TCL_ERROR;
}

inline int to_wide(Tcl_Interp* interp, Tcl_Obj* object, long long& value) {
    Tcl_WideInt wide = 0;
    if (Tcl_GetWideIntFromObj(interp, object, &wide) != TCL_OK) return wide_error(interp);
    value = static_cast<long long>(wide);
    return TCL_OK;
}

inline Tcl_Obj* received_to_list(const posix_ipc::Received& received) {
    Tcl_Obj* pair[2] = {
        Tcl_NewByteArrayObj(reinterpret_cast<const unsigned char*>(received.data), static_cast<Size>(received.size)),
        Tcl_NewWideIntObj(static_cast<Tcl_WideInt>(received.priority)),
    };
    return Tcl_NewListObj(2, pair);
}

// ---- signals: Tcl has no signal API; the core's counter ---------------------------
// posix_ipc::catch_signal signum   installs a handler that only counts, without
//                                  SA_RESTART, so blocking calls see EINTR
// posix_ipc::signal_count signum   how many times it arrived
// posix_ipc::default_signal signum restores the default disposition
template <class Action>
int signal_command(Tcl_Interp* interp, int objc, Tcl_Obj* const objv[], Action action) {
    if (objc != 2) {
        Tcl_WrongNumArgs(interp, 1, objv, "signum");
        return TCL_ERROR;
    }
    Tcl_WideInt signal_number;
    if (Tcl_GetWideIntFromObj(interp, objv[1], &signal_number) != TCL_OK) return wide_error(interp);
    try {
        action(static_cast<long long>(signal_number));
    } catch (...) {  // any C++ exception as a Tcl error
        return set_error(interp, posix_ipc::current_error());
    }
    return TCL_OK;
}

inline int catch_signal_command(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    return signal_command(interp, objc, objv, [](long long signal_number) { posix_ipc::catch_signal(signal_number); });
}

inline int default_signal_command(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    return signal_command(interp, objc, objv, [](long long signal_number) { posix_ipc::default_signal(signal_number); });
}

inline int signal_count_command(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    return signal_command(interp, objc, objv, [interp](long long signal_number) {
        Tcl_SetObjResult(interp, Tcl_NewWideIntObj(posix_ipc::signal_count(signal_number)));
    });
}

// ---- callback notifications ----------------------------------------------------
// The core runs a callback on a thread of its own; ours only posts the
// request's token to the interp's posix_ipc::NotificationInbox (the core's,
// which Lua drains too). The inbox's descriptor is a file handler of the
// interp's thread, so its event loop (vwait, update, thread::wait) takes the
// tokens and evaluates each one's command at global level. Nothing here
// touches a Tcl_Obj or the interp off that thread.

struct PendingCommand {
    std::string command;                        // the command prefix (a Tcl list), run as it is
    std::shared_ptr<std::atomic<bool>> posted;  // set on the core's thread as the token is posted
};

// One per interpreter (assoc data), used on its thread only.
struct InterpNotifications {
    Tcl_Interp* interp = nullptr;
    std::shared_ptr<posix_ipc::NotificationInbox> inbox;
    std::unordered_map<std::uint64_t, PendingCommand> commands;  // by token
};

// The file handler: runs the commands of the tokens that arrived. Tcl_Preserve
// defers the interp's deletion (and so this state's, its assoc data) until
// the loop is over, whatever a command does.
inline void run_notifications(ClientData data, int) {
    auto* state = static_cast<InterpNotifications*>(data);
    std::vector<std::uint64_t> tokens;
    try {
        tokens = state->inbox->take();
    } catch (...) {  // out of memory: the tokens stay in the inbox for the next event
        return;
    }
    Tcl_Interp* interp = state->interp;
    Tcl_Preserve(interp);
    for (const std::uint64_t token : tokens) {
        if (Tcl_InterpDeleted(interp)) break;
        const auto found = state->commands.find(token);
        if (found == state->commands.end()) continue;  // forgotten: the request was replaced or cancelled
        Tcl_Obj* command =
            Tcl_NewStringObj(found->second.command.data(), static_cast<Size>(found->second.command.size()));
        state->commands.erase(found);  // first: the command may request again
        Tcl_IncrRefCount(command);
        const int code = Tcl_EvalObjEx(interp, command, TCL_EVAL_GLOBAL);
        Tcl_DecrRefCount(command);
        if (code != TCL_OK) Tcl_BackgroundException(interp, code);
    }
    Tcl_Release(interp);
}

inline void delete_interp_notifications(ClientData data, Tcl_Interp*) {
    auto* state = static_cast<InterpNotifications*>(data);
    // A late notification only writes to the inbox, which its callback keeps alive.
    Tcl_DeleteFileHandler(state->inbox->fd());
    delete state;
}

constexpr const char* kNotificationsKey = "posix_ipc::notifications";

// The interp's notifications, made by init() (which reports an inbox the
// system cannot give); nullptr before.
inline InterpNotifications* interp_notifications(Tcl_Interp* interp) {
    return static_cast<InterpNotifications*>(Tcl_GetAssocData(interp, kNotificationsKey, nullptr));
}

inline void create_interp_notifications(Tcl_Interp* interp) {
    if (interp_notifications(interp)) return;  // loaded again into the same interp
    auto state = std::make_unique<InterpNotifications>();
    state->interp = interp;
    state->inbox = posix_ipc::NotificationInbox::create();
    Tcl_CreateFileHandler(state->inbox->fd(), TCL_READABLE, run_notifications, state.get());
    Tcl_SetAssocData(interp, kNotificationsKey, delete_interp_notifications, state.release());
}

// Forgets the command of `token` (0: none) unless its notification already
// arrived (it then runs, as the kernel sent it before the request changed).
inline void forget_notification(Tcl_Interp* interp, std::uint64_t& token) {
    if (token == 0) return;
    if (InterpNotifications* state = interp_notifications(interp)) {
        const auto found = state->commands.find(token);
        if (found != state->commands.end() && !found->second.posted->load()) state->commands.erase(found);
    }
    token = 0;
}

// A Tcl value as a notification request: "" (or no argument) cancels; an
// integer asks for that signal; any other non-empty list is a command prefix
// (as for `after`, `fileevent`), run as it is, nothing appended, at global
// level through the event loop; `token` is then its token in the interp's
// inbox (forget_notification undoes it if the request is not made).
inline int to_notification_request(Tcl_Interp* interp, Tcl_Obj* notification, posix_ipc::NotificationRequest& request,
                                   std::uint64_t& token) {
    token = 0;
    try {
        Size length = 0;
        if (notification != nullptr) Tcl_GetStringFromObj(notification, &length);
        if (length == 0) {
            request = posix_ipc::NotificationRequest::cancel();
            return TCL_OK;
        }
        Tcl_WideInt signal_number;
        if (Tcl_GetWideIntFromObj(interp, notification, &signal_number) == TCL_OK) {
            request = posix_ipc::NotificationRequest::signal(static_cast<long long>(signal_number));
            return TCL_OK;
        }
        if (is_wide_overflow(interp)) return wide_error(interp);  // a signal number, too large
        Tcl_ResetResult(interp);
        Size count = 0;
        Tcl_Obj** items = nullptr;
        if (Tcl_ListObjGetElements(nullptr, notification, &count, &items) != TCL_OK || count == 0)
            return set_error(interp, posix_ipc::ErrorCode::BadNotification);
        InterpNotifications* state = interp_notifications(interp);
        if (state == nullptr) return set_error(interp, posix_ipc::ErrorCode::InternalError);  // init() makes it
        Size size = 0;
        const char* text = Tcl_GetStringFromObj(notification, &size);
        auto posted = std::make_shared<std::atomic<bool>>(false);
        std::shared_ptr<posix_ipc::NotificationInbox> inbox = state->inbox;
        const std::uint64_t new_token = inbox->next_token();
        request = posix_ipc::NotificationRequest::callback([inbox, new_token, posted] {
            posted->store(true);
            inbox->post(new_token);
        });
        state->commands[new_token] = PendingCommand{std::string(text, static_cast<size_t>(size)), posted};
        token = new_token;
    } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) as a Tcl error
        return set_error(interp, posix_ipc::current_error());
    }
    return TCL_OK;
}

}  // namespace posix_ipc_tcl
