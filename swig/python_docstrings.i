// Python docstrings of the compiled module (_posix_ipc), included by python.i
// before the shared interface so that posix_ipc.i stays language-neutral.
// Wording after the posix_ipc 1.3.2 documentation.
//
// Methods and functions start with a CPython text signature,
// "name($self, /, arg=default)\n--\n\n", so inspect.signature() (and
// mypy.stubtest) see their parameters. SWIG wraps every multi-line docstring
// in newlines, which would hide the signature: posix_ipc_python::fix_docs()
// (called from python.i) takes them off again at import.
// The methods and the attribute fast_methods.hpp provides (acquire, release,
// __enter__, __exit__, send, receive, current_messages) have their
// docstrings beside their code there; the
// exception classes theirs in bindings/python/posix_ipc_python.hpp.
// Attribute docstrings stay on one line (SWIG leaves those as they are).

// ---- module functions ------------------------------------------------------------
%feature("docstring") posix_ipc::unlink_semaphore
"unlink_semaphore(name)
--

Removes the semaphore called name (str or bytes), as Semaphore(name).unlink()
would without opening it. Raises ExistentialError if there is none.";

%feature("docstring") posix_ipc::unlink_shared_memory
"unlink_shared_memory(name)
--

Removes the shared memory segment called name (str or bytes), as
SharedMemory(name).unlink() would without opening it. Raises ExistentialError
if there is none.";

%feature("docstring") posix_ipc::unlink_message_queue
"unlink_message_queue(name)
--

Removes the message queue called name (str or bytes), as
MessageQueue(name).unlink() would without opening it. Raises ExistentialError
if there is none.";

// ---- Semaphore ---------------------------------------------------------------------
// The classes' docstrings start with the constructor's text signature: the
// package's subclasses have no Python __init__ (the constructor is this
// compiled one, keywords included), and inspect.signature(posix_ipc.Semaphore)
// finds the parameters here. The package's Semaphore and MessageQueue take
// their docstrings from these (bindings/python/posix_ipc/__init__.py).
%feature("docstring") posix_ipc::Semaphore
"Semaphore(name, flags=0, mode=0o600, initial_value=0)
--

A handle to a POSIX named semaphore.

Semaphore(name, flags=0, mode=0o600, initial_value=0) opens the semaphore
called name (str or bytes, e.g. \"/my_semaphore\"; None picks a random
unused name, with O_CREX). flags 0 opens an existing one (ExistentialError
if there is none), O_CREAT opens or creates it, O_CREX (O_CREAT | O_EXCL)
creates a new one (ExistentialError if it exists); mode and initial_value
apply only to a new one.

acquire() waits for the value to be > 0 and decrements it, release()
increments it; \"with sem:\" acquires on entry and releases on exit.
close() and unlink() are never called implicitly.";

%feature("docstring") posix_ipc::Semaphore::close
"close($self, /)
--

Closes this handle: this process is done with the semaphore, which lives on
until unlinked. Not called when the object is garbage collected. Using the
handle afterwards raises ExistentialError.";

%feature("docstring") posix_ipc::Semaphore::unlink
"unlink($self, /)
--

Removes the semaphore's name. Processes that have it open keep using it; it is
destroyed when the last one closes it, and opening the name again refers to a
new semaphore. Raises ExistentialError if it no longer exists.";


// ---- SharedMemory ------------------------------------------------------------------
%feature("docstring") posix_ipc::SharedMemory
"SharedMemory(name, flags=0, mode=0o600, size=0, read_only=False)
--

A handle to a POSIX shared memory segment, whose fd can be mmapped.

SharedMemory(name, flags=0, mode=0o600, size=0, read_only=False) opens the
segment called name (str or bytes; None picks a random unused name, with
O_CREX); flags as for Semaphore, plus O_TRUNC to empty an existing one.
A non-zero size (re)sizes the segment, new or not (ValueError if negative
or with read_only); read_only opens it for reading only.

Map it with mmap.mmap(shm.fd, shm.size), or copy bytes out and in with
read() and write(). close_fd() and unlink() are never called implicitly.";

%feature("docstring") posix_ipc::SharedMemory::close_fd
"close_fd($self, /)
--

Closes the segment's file descriptor, as os.close(fd) would. Not called when
the object is garbage collected; mmaps made from the descriptor stay valid,
and the segment lives on until unlinked.";

%feature("docstring") posix_ipc::SharedMemory::unlink
"unlink($self, /)
--

Marks the segment for destruction once every process has unmapped it; opening
the name again refers to a new segment. Raises ExistentialError if it no
longer exists.";

%feature("docstring") posix_ipc::SharedMemory::read
"read($self, /, byte_count=0, offset=0)
--

Returns byte_count bytes of the segment from offset as bytes (byte_count 0:
up to the end). Raises ValueError if they do not lie within the segment,
ExistentialError after close_fd().";

%feature("docstring") posix_ipc::SharedMemory::write
"write($self, /, data, offset=0)
--

Copies data (bytes, str as UTF-8, or any buffer) into the segment at offset.
Raises ValueError if it does not fit, PermissionsError on a read_only handle,
ExistentialError after close_fd().";

%feature("docstring") posix_ipc::SharedMemory::fileno
"fileno($self, /)
--

Returns the segment's file descriptor (the fd attribute), e.g. for
mmap.mmap(shm.fileno(), shm.size).";


// ---- MessageQueue ------------------------------------------------------------------
%feature("docstring") posix_ipc::MessageQueue
"MessageQueue(name, flags=0, mode=0o600, max_messages=QUEUE_MESSAGES_MAX_DEFAULT, max_message_size=QUEUE_MESSAGE_SIZE_MAX_DEFAULT, read=True, write=True)
--

A handle to a POSIX message queue.

MessageQueue(name, flags=0, mode=0o600,
             max_messages=QUEUE_MESSAGES_MAX_DEFAULT,
             max_message_size=QUEUE_MESSAGE_SIZE_MAX_DEFAULT,
             read=True, write=True)
opens the queue called name (str or bytes; None picks a random unused
name, with O_CREX); flags as for Semaphore. mode, max_messages and
max_message_size apply only to a new queue (ValueError if the system
refuses them). read=False / write=False forbid receive() / send() on this
handle only.

send() and receive() move bytes with a priority; block=False makes them
raise BusyError instead of waiting. close() and unlink() are never called
implicitly.";

%feature("docstring") posix_ipc::MessageQueue::close
"close($self, /)
--

Closes this handle to the queue; other handles stay open, and the queue lives
on until unlinked. Not called when the object is garbage collected. Using the
handle afterwards raises ExistentialError.";

%feature("docstring") posix_ipc::MessageQueue::unlink
"unlink($self, /)
--

Requests destruction of the queue: the call returns at once, the queue goes
when every handle to it is closed, and opening the name again refers to a new
queue. Raises ExistentialError if it no longer exists.";

%feature("docstring") posix_ipc::MessageQueue::fileno
"fileno($self, /)
--

Returns the queue descriptor (the mqd attribute); on Linux it can be watched
with select/poll: readable while a message waits, writable while there is room.";

%feature("docstring") posix_ipc::MessageQueue::request_notification
"request_notification($self, /, notification=None)
--

Asks the operating system to notify once when the queue goes from empty to
non-empty: notification is a signal number to send, or a (function, param)
tuple to call function(param) in a new thread; None (the default) cancels a
request. Only one process may be registered per queue (else BusyError);
request again after each notification. Raises ValueError for anything else.";

