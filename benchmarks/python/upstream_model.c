/* A model of posix_ipc 1.3.2's C paths, for the benchmark only.
 *
 * posix_ipc 1.3.2 cannot be installed here (no PyPI), so this module does for
 * the benchmarked operations what its C module does, call for call, and
 * bench.py times our module against it in the same process:
 *   - constructors parse (args, kwargs) with PyArg_ParseTupleAndKeywords and
 *     convert the name with PyUnicode_FSConverter into a PyMem_Malloc'ed copy;
 *   - acquire() parses "|O&" and waits with the GIL released (sem_wait);
 *   - __enter__ builds an empty tuple and calls acquire with it, __exit__ is a
 *     METH_VARARGS method that releases;
 *   - SharedMemory(..., size) is shm_open + ftruncate; close_fd() is close;
 *     unlink() is shm_unlink of the stored name;
 *   - current_messages is mq_getattr + Py_BuildValue("k").
 * Error handling is reduced to raising OSError: the benchmark never fails.
 * Written for this project; no code is taken from posix_ipc.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A copy of a str/bytes name, or NULL for None. */
static int take_name(PyObject* object, void* out) {
    char** name = (char**)out;
    PyObject* bytes = NULL;
    *name = NULL;
    if (object == Py_None) return 1;
    if (PyUnicode_Check(object)) {
        if (!PyUnicode_FSConverter(object, &bytes)) return 0;
    } else if (PyBytes_Check(object)) {
        bytes = PyBytes_FromObject(object);
        if (!bytes) return 0;
    } else {
        PyErr_SetString(PyExc_TypeError, "Name must be None or a string");
        return 0;
    }
    const char* text = PyBytes_AS_STRING(bytes);
    *name = (char*)PyMem_Malloc(strlen(text) + 1);
    if (*name) strcpy(*name, text);
    Py_DECREF(bytes);
    if (!*name) {
        PyErr_NoMemory();
        return 0;
    }
    return 1;
}

/* None only: the benchmark waits without a timeout, as `with sem:` does. */
static int take_timeout(PyObject* object, void* out) {
    *(int*)out = object == Py_None;
    if (object != Py_None && !PyNumber_Check(object)) {
        PyErr_SetString(PyExc_TypeError, "The timeout must be None or a non-negative number");
        return 0;
    }
    return 1;
}

/* ---- Semaphore ---------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    sem_t* sem;
    char* name;
    int mode;
} ModelSemaphore;

static int semaphore_init(ModelSemaphore* self, PyObject* args, PyObject* kwargs) {
    static char* keywords[] = {"name", "flags", "mode", "initial_value", NULL};
    int flags = 0;
    unsigned int initial_value = 0;
    self->sem = SEM_FAILED;
    self->mode = 0600;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&|iiI", keywords, take_name, &self->name, &flags,
                                     &self->mode, &initial_value))
        return -1;
    self->sem = sem_open(self->name, flags, (mode_t)self->mode, initial_value);
    if (self->sem == SEM_FAILED) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    return 0;
}

static PyObject* semaphore_acquire(ModelSemaphore* self, PyObject* args, PyObject* kwargs) {
    static char* keywords[] = {"timeout", NULL};
    int forever = 1;
    int rc;
    if (self->sem == SEM_FAILED) return PyErr_Format(PyExc_OSError, "closed");
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O&", keywords, take_timeout, &forever)) return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = forever ? sem_wait(self->sem) : sem_trywait(self->sem);
    Py_END_ALLOW_THREADS
    if (rc == -1) return PyErr_SetFromErrno(PyExc_OSError);
    Py_RETURN_NONE;
}

static PyObject* semaphore_release(ModelSemaphore* self, PyObject* unused) {
    if (self->sem == SEM_FAILED) return PyErr_Format(PyExc_OSError, "closed");
    if (sem_post(self->sem) == -1) return PyErr_SetFromErrno(PyExc_OSError);
    Py_RETURN_NONE;
}

static PyObject* semaphore_enter(ModelSemaphore* self, PyObject* unused) {
    PyObject* no_args = PyTuple_New(0);
    PyObject* result = NULL;
    if (!no_args) return NULL;
    PyObject* acquired = semaphore_acquire(self, no_args, NULL);
    if (acquired) {
        Py_DECREF(acquired);
        Py_INCREF(self);
        result = (PyObject*)self;
    }
    Py_DECREF(no_args);
    return result;
}

static PyObject* semaphore_exit(ModelSemaphore* self, PyObject* args) {
    return semaphore_release(self, NULL);
}

static PyObject* semaphore_close(ModelSemaphore* self, PyObject* unused) {
    if (self->sem != SEM_FAILED && sem_close(self->sem) == -1) return PyErr_SetFromErrno(PyExc_OSError);
    self->sem = SEM_FAILED;
    Py_RETURN_NONE;
}

static PyObject* semaphore_unlink(ModelSemaphore* self, PyObject* unused) {
    if (sem_unlink(self->name) == -1) return PyErr_SetFromErrno(PyExc_OSError);
    Py_RETURN_NONE;
}

static void semaphore_dealloc(ModelSemaphore* self) {
    PyMem_Free(self->name);
    Py_TYPE(self)->tp_free((PyObject*)self);
}

static PyMethodDef semaphore_methods[] = {
    {"__enter__", (PyCFunction)semaphore_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)semaphore_exit, METH_VARARGS, NULL},
    {"acquire", (PyCFunction)(void (*)(void))semaphore_acquire, METH_VARARGS | METH_KEYWORDS, NULL},
    {"release", (PyCFunction)semaphore_release, METH_NOARGS, NULL},
    {"close", (PyCFunction)semaphore_close, METH_NOARGS, NULL},
    {"unlink", (PyCFunction)semaphore_unlink, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject semaphore_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_upstream_model.Semaphore",
    .tp_basicsize = sizeof(ModelSemaphore),
    .tp_dealloc = (destructor)semaphore_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_methods = semaphore_methods,
    .tp_init = (initproc)semaphore_init,
    .tp_new = PyType_GenericNew,
};

/* ---- SharedMemory ------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    int fd;
    char* name;
    long mode;
} ModelSharedMemory;

static int shared_memory_init(ModelSharedMemory* self, PyObject* args, PyObject* kwargs) {
    static char* keywords[] = {"name", "flags", "mode", "size", "read_only", NULL};
    unsigned int flags = 0;
    unsigned long size = 0;
    int read_only = 0;
    self->fd = -1;
    self->mode = 0600;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&|Iiki", keywords, take_name, &self->name, &flags,
                                     &self->mode, &size, &read_only))
        return -1;
    flags |= read_only ? O_RDONLY : O_RDWR;
    self->fd = shm_open(self->name, (int)flags, (mode_t)self->mode);
    if (self->fd == -1 || (size && ftruncate(self->fd, (off_t)size) == -1)) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    return 0;
}

static PyObject* shared_memory_close_fd(ModelSharedMemory* self, PyObject* unused) {
    if (self->fd != -1) {
        if (close(self->fd) == -1) return PyErr_SetFromErrno(PyExc_OSError);
        self->fd = -1;
    }
    Py_RETURN_NONE;
}

static PyObject* shared_memory_unlink(ModelSharedMemory* self, PyObject* unused) {
    if (shm_unlink(self->name) == -1) return PyErr_SetFromErrno(PyExc_OSError);
    Py_RETURN_NONE;
}

static void shared_memory_dealloc(ModelSharedMemory* self) {
    PyMem_Free(self->name);
    Py_TYPE(self)->tp_free((PyObject*)self);
}

static PyMethodDef shared_memory_methods[] = {
    {"close_fd", (PyCFunction)shared_memory_close_fd, METH_NOARGS, NULL},
    {"unlink", (PyCFunction)shared_memory_unlink, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject shared_memory_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_upstream_model.SharedMemory",
    .tp_basicsize = sizeof(ModelSharedMemory),
    .tp_dealloc = (destructor)shared_memory_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_methods = shared_memory_methods,
    .tp_init = (initproc)shared_memory_init,
    .tp_new = PyType_GenericNew,
};

/* ---- MessageQueue ------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    mqd_t mqd;
    char* name;
    long mode;
    long max_messages;
    long max_message_size;
} ModelMessageQueue;

static int message_queue_init(ModelMessageQueue* self, PyObject* args, PyObject* kwargs) {
    static char* keywords[] = {"name", "flags", "mode", "max_messages", "max_message_size", NULL};
    unsigned int flags = 0;
    struct mq_attr attr = {0};
    self->mqd = (mqd_t)-1;
    self->mode = 0600;
    self->max_messages = 10;
    self->max_message_size = 8192;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&|Iill", keywords, take_name, &self->name, &flags,
                                     &self->mode, &self->max_messages, &self->max_message_size))
        return -1;
    attr.mq_maxmsg = self->max_messages;
    attr.mq_msgsize = self->max_message_size;
    self->mqd = mq_open(self->name, (int)flags | O_RDWR, (mode_t)self->mode, &attr);
    if (self->mqd == (mqd_t)-1) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    return 0;
}

static PyObject* message_queue_current_messages(ModelMessageQueue* self, void* closure) {
    struct mq_attr attr = {0};
    if (mq_getattr(self->mqd, &attr) == -1) return PyErr_SetFromErrno(PyExc_OSError);
    return Py_BuildValue("k", (unsigned long)attr.mq_curmsgs);
}

static PyObject* message_queue_close(ModelMessageQueue* self, PyObject* unused) {
    if (self->mqd != (mqd_t)-1 && mq_close(self->mqd) == -1) return PyErr_SetFromErrno(PyExc_OSError);
    self->mqd = (mqd_t)-1;
    Py_RETURN_NONE;
}

static PyObject* message_queue_unlink(ModelMessageQueue* self, PyObject* unused) {
    if (mq_unlink(self->name) == -1) return PyErr_SetFromErrno(PyExc_OSError);
    Py_RETURN_NONE;
}

static void message_queue_dealloc(ModelMessageQueue* self) {
    PyMem_Free(self->name);
    Py_TYPE(self)->tp_free((PyObject*)self);
}

static PyMethodDef message_queue_methods[] = {
    {"close", (PyCFunction)message_queue_close, METH_NOARGS, NULL},
    {"unlink", (PyCFunction)message_queue_unlink, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef message_queue_getset[] = {
    {"current_messages", (getter)message_queue_current_messages, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject message_queue_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_upstream_model.MessageQueue",
    .tp_basicsize = sizeof(ModelMessageQueue),
    .tp_dealloc = (destructor)message_queue_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_methods = message_queue_methods,
    .tp_getset = message_queue_getset,
    .tp_init = (initproc)message_queue_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_upstream_model", "posix_ipc 1.3.2's C paths, modelled for benchmarks/.",
    -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__upstream_model(void) {
    PyTypeObject* types[] = {&semaphore_type, &shared_memory_type, &message_queue_type};
    const char* names[] = {"Semaphore", "SharedMemory", "MessageQueue"};
    PyObject* m = PyModule_Create(&module);
    if (!m) return NULL;
    for (int i = 0; i < 3; ++i) {
        if (PyType_Ready(types[i]) < 0) return NULL;
        Py_INCREF(types[i]);
        if (PyModule_AddObject(m, names[i], (PyObject*)types[i]) < 0) return NULL;
    }
    PyModule_AddIntConstant(m, "O_CREX", O_CREAT | O_EXCL);
    return m;
}
