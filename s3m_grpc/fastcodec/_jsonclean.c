/* The JSON writer's check, in C: `clean(plan, obj)` is `_generic`'s `json_clean` reader.

A JSON object (a dict with the contract's JSON names, as the local server's backends give
its replies) is checked against a message's plan: every value must have the plain spelling
protobuf's `json_format` reads the same way (a str for a string, an int in range for an
integer, a finite float for a double ...), else `Odd` is raised and the caller takes the exact
path. What protobuf JSON leaves out is left out (nulls, empty lists, defaults of fields without
presence, unknown keys); keys are written under the field's JSON name. An object that needs no
change is returned as it is; a changed one is a copy sharing every unchanged sub-object.

The Python reader in `_generic.py` is the specification and the fallback where this module is
not built; tests/codec/test_native.py checks that both give the same on the same input. The
plans are built from the same field tables (`_generic.Codecs`).
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>

/* Field codes: the same numbers as `_generic`'s. */
enum { C_STR, C_BOOL, C_INT, C_DOUBLE, C_FLOAT, C_MSG, C_REP_STR, C_REP, C_REP_MSG };
/* Items of a repeated scalar (C_REP). */
enum { I_INT, I_BOOL, I_DOUBLE, I_NEVER };

#define MAX_DEPTH 64 /* json_format's max_recursion_depth, as the exact path reads */

static PyObject *odd_type = NULL;   /* `_lazy.Odd` */
static PyObject *json_float = NULL; /* `_lazy.json_float` */

struct Field;

typedef struct {
    PyObject_HEAD
    PyObject *fields; /* dict: JSON key -> Field */
    /* Keys already found, by hash: direct-mapped, `mask + 1` slots (at least twice the
       fields, a power of 2). The objects of one message kind mostly come with the very same
       key objects (orjson's key cache, a dict display's constants): a pointer test, else a
       compare of the text, spares the dict look-up. */
    PyObject **seen_key;
    struct Field **seen_field;
    size_t mask;
} Plan;

typedef struct Field {
    PyObject_HEAD
    PyObject *name; /* the key written: the field's JSON name */
    int code;
    int item;
    long long lo; /* integers: lo <= v <= hi */
    unsigned long long hi;
    Plan *sub; /* C_MSG, C_REP_MSG */
    int index; /* position of this key among the field's JSON keys */
    int implicit; /* no presence: a default is left out */
    int renamed; /* written under another key than the one it is read from */
} Field;

static PyTypeObject PlanType;
static PyTypeObject FieldType;

static PyObject *odd(void) {
    PyErr_SetNone(odd_type);
    return NULL;
}

static int int_ok(PyObject *v, long long lo, unsigned long long hi) {
    int overflow;
    long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (overflow == 0) {
        if (x == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        return x >= lo && (x < 0 || (unsigned long long)x <= hi);
    }
    if (overflow < 0)
        return 0;
    unsigned long long u = PyLong_AsUnsignedLongLong(v);
    if (u == (unsigned long long)-1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    return u <= hi;
}

static int finite_float(PyObject *v) {
    return PyFloat_CheckExact(v) && isfinite(PyFloat_AS_DOUBLE(v));
}

/* A new dict holding the first `n` items of `d`. */
static PyObject *copy_first(PyObject *d, Py_ssize_t n) {
    PyObject *out = PyDict_New();
    if (out == NULL)
        return NULL;
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    for (Py_ssize_t i = 0; i < n && PyDict_Next(d, &pos, &k, &v); i++) {
        if (PyDict_SetItem(out, k, v) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static PyObject *clean(Plan *plan, PyObject *d, int depth);

/* A repeated message: the list itself when no item changed, else a copy. New reference. */
static PyObject *clean_list(Plan *sub, PyObject *v, int depth) {
    PyObject *items = NULL;
    Py_ssize_t n = PyList_GET_SIZE(v);
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *x = PyList_GET_ITEM(v, j);
        PyObject *y = clean(sub, x, depth + 1);
        if (y == NULL)
            goto error;
        if (y != x && items == NULL) {
            items = PyList_GetSlice(v, 0, j);
            if (items == NULL) {
                Py_DECREF(y);
                goto error;
            }
        }
        if (items != NULL) {
            int failed = PyList_Append(items, y);
            Py_DECREF(y);
            if (failed)
                goto error;
        } else {
            Py_DECREF(y);
        }
        if (PyList_GET_SIZE(v) != n) { /* changed under us: let the exact path read it */
            Py_XDECREF(items);
            return odd();
        }
    }
    if (items != NULL)
        return items;
    Py_INCREF(v);
    return v;
error:
    Py_XDECREF(items);
    return NULL;
}

/* The checked value to write for `v` (new reference), or NULL with Odd (or another error). */
static PyObject *checked(Field *f, PyObject *v, int depth) {
    Py_ssize_t n, j;
    switch (f->code) {
    case C_STR:
        if (!PyUnicode_CheckExact(v))
            return odd();
        break;
    case C_BOOL:
        if (!PyBool_Check(v))
            return odd();
        break;
    case C_INT:
        if (!PyLong_CheckExact(v) || !int_ok(v, f->lo, f->hi))
            return odd();
        break;
    case C_DOUBLE:
        if (!finite_float(v))
            return odd();
        break;
    case C_FLOAT: {
        if (!finite_float(v) || fabs(PyFloat_AS_DOUBLE(v)) > FLT_MAX)
            return odd();
        /* As upb holds it (float32), written as its shortest text. */
        PyObject *f32 = PyFloat_FromDouble((double)(float)PyFloat_AS_DOUBLE(v));
        if (f32 == NULL)
            return NULL;
        PyObject *out = PyObject_CallOneArg(json_float, f32);
        Py_DECREF(f32);
        return out;
    }
    case C_MSG:
        return clean(f->sub, v, depth + 1);
    case C_REP_MSG:
        if (!PyList_CheckExact(v))
            return odd();
        return clean_list(f->sub, v, depth);
    case C_REP_STR:
        if (!PyList_CheckExact(v))
            return odd();
        n = PyList_GET_SIZE(v);
        for (j = 0; j < n; j++)
            if (!PyUnicode_CheckExact(PyList_GET_ITEM(v, j)))
                return odd();
        break;
    case C_REP:
        if (!PyList_CheckExact(v))
            return odd();
        n = PyList_GET_SIZE(v);
        for (j = 0; j < n; j++) {
            PyObject *x = PyList_GET_ITEM(v, j);
            int ok;
            switch (f->item) {
            case I_INT:
                ok = PyLong_CheckExact(x) && int_ok(x, f->lo, f->hi);
                break;
            case I_BOOL:
                ok = PyBool_Check(x);
                break;
            case I_DOUBLE:
                ok = finite_float(x);
                break;
            default:
                ok = 0;
            }
            if (!ok)
                return odd();
        }
        break;
    default:
        PyErr_SetString(PyExc_SystemError, "unknown field code in a JSON plan");
        return NULL;
    }
    Py_INCREF(v);
    return v;
}

/* Whether protobuf JSON leaves out `value` (the checked value): -1 on error. */
static int omitted(Field *f, PyObject *value) {
    if (f->code >= C_REP_STR)
        return PyList_GET_SIZE(value) == 0;
    if (f->code == C_MSG || !f->implicit)
        return 0;
    switch (f->code) { /* a default of a field without presence */
    case C_STR:
        return PyUnicode_GET_LENGTH(value) == 0;
    case C_BOOL:
        return value == Py_False;
    case C_INT:
        return !PyObject_IsTrue(value);
    default: /* a double, or a float32 as json_float wrote it: 0.0 but not -0.0 */
        if (PyFloat_CheckExact(value)) {
            double x = PyFloat_AS_DOUBLE(value);
            return x == 0.0 && !signbit(x);
        }
        return 0;
    }
}

/* Whether two exact str objects hold the same text. */
static int same_text(PyObject *a, PyObject *b) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(a);
    return n == PyUnicode_GET_LENGTH(b) && PyUnicode_KIND(a) == PyUnicode_KIND(b) &&
           memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)n * PyUnicode_KIND(a)) == 0;
}

/* `d` checked and cleaned (new reference): `d` itself when nothing changed. */
static PyObject *clean(Plan *plan, PyObject *d, int depth) {
    if (!PyDict_CheckExact(d) || depth > MAX_DEPTH)
        return odd();
    PyObject *out = NULL, *k, *v;
    Py_ssize_t pos = 0, i = -1, size = PyDict_GET_SIZE(d);
    while (PyDict_Next(d, &pos, &k, &v)) {
        i++;
        Field *f;
        PyObject *known = NULL;
        size_t slot = 0;
        if (plan->seen_key != NULL && PyUnicode_CheckExact(k)) {
            slot = (size_t)PyObject_Hash(k) & plan->mask; /* a str caches its hash */
            known = plan->seen_key[slot];
        }
        if (known != NULL && (known == k || same_text(known, k))) {
            f = plan->seen_field[slot];
        } else {
            f = (Field *)PyDict_GetItemWithError(plan->fields, k);
            if (f != NULL && plan->seen_key != NULL && PyUnicode_CheckExact(k)) {
                /* the plan's dict keeps `f` alive */
                Py_XSETREF(plan->seen_key[slot], Py_NewRef(k));
                plan->seen_field[slot] = f;
            }
        }
        if (f == NULL) {
            if (PyErr_Occurred())
                goto error;
            if (out == NULL && (out = copy_first(d, i)) == NULL) /* unknown key: dropped */
                goto error;
            continue;
        }
        if (v == Py_None) { /* null: unset, left out */
            if (out == NULL && (out = copy_first(d, i)) == NULL)
                goto error;
            continue;
        }
        PyObject *value = checked(f, v, depth);
        if (value == NULL)
            goto error;
        if (PyDict_GET_SIZE(d) != size) { /* changed under us (json_float is Python) */
            Py_DECREF(value);
            odd();
            goto error;
        }
        int omit = omitted(f, value);
        if (omit) {
            Py_DECREF(value);
            if (omit < 0)
                goto error;
            if (out == NULL && (out = copy_first(d, i)) == NULL)
                goto error;
            continue;
        }
        if (out == NULL) {
            if (value == v && !f->renamed) { /* unchanged: the key matched the name */
                Py_DECREF(value);
                continue;
            }
            if ((out = copy_first(d, i)) == NULL) {
                Py_DECREF(value);
                goto error;
            }
        }
        if (f->index) { /* an earlier JSON key of the same field decides */
            PyObject *earlier = PyDict_GetItemWithError(out, f->name);
            if (earlier == NULL && PyErr_Occurred()) {
                Py_DECREF(value);
                goto error;
            }
            if (earlier != NULL && earlier != Py_None) {
                Py_DECREF(value);
                continue;
            }
        }
        int failed = PyDict_SetItem(out, f->name, value);
        Py_DECREF(value);
        if (failed)
            goto error;
    }
    if (out != NULL)
        return out;
    Py_INCREF(d);
    return d;
error:
    Py_XDECREF(out);
    return NULL;
}

/* -- Plan and Field objects ---------------------------------------------------------------- */

static PyObject *Plan_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    if (PyTuple_GET_SIZE(args) || (kwds != NULL && PyDict_GET_SIZE(kwds))) {
        PyErr_SetString(PyExc_TypeError, "Plan() takes no arguments");
        return NULL;
    }
    Plan *self = (Plan *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->fields = PyDict_New();
    if (self->fields == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void forget_seen(Plan *self) {
    if (self->seen_key != NULL)
        for (size_t i = 0; i <= self->mask; i++)
            Py_XDECREF(self->seen_key[i]);
    PyMem_Free(self->seen_key);
    PyMem_Free(self->seen_field);
    self->seen_key = NULL;
    self->seen_field = NULL;
    self->mask = 0;
}

static void Plan_dealloc(Plan *self) {
    forget_seen(self);
    Py_XDECREF(self->fields);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Plan_add(Plan *self, PyObject *args) {
    PyObject *key, *name, *lo, *hi, *sub;
    int code, item, index, implicit;
    if (!PyArg_ParseTuple(args, "UUiiOOOip:add", &key, &name, &code, &item, &lo, &hi, &sub,
                          &index, &implicit))
        return NULL;
    if (code < C_STR || code > C_REP_MSG || item < I_INT || item > I_NEVER) {
        PyErr_SetString(PyExc_ValueError, "unknown field code");
        return NULL;
    }
    if ((code == C_MSG || code == C_REP_MSG) && !PyObject_TypeCheck(sub, &PlanType)) {
        PyErr_SetString(PyExc_TypeError, "a message field needs the Plan of its message");
        return NULL;
    }
    Field *f = PyObject_New(Field, &FieldType);
    if (f == NULL)
        return NULL;
    f->name = Py_NewRef(name);
    f->code = code;
    f->item = item;
    f->index = index;
    f->implicit = implicit;
    f->renamed = PyUnicode_Compare(key, name) != 0;
    f->lo = 0;
    f->hi = 0;
    f->sub = NULL;
    if (code == C_MSG || code == C_REP_MSG)
        f->sub = (Plan *)Py_NewRef(sub);
    if (lo != Py_None) { /* inclusive bounds of an integer field or item */
        f->lo = PyLong_AsLongLong(lo);
        f->hi = PyLong_AsUnsignedLongLong(hi);
        if (PyErr_Occurred()) {
            Py_DECREF(f);
            return NULL;
        }
    }
    int failed = PyDict_SetItem(self->fields, key, (PyObject *)f);
    Py_DECREF(f);
    if (failed)
        return NULL;
    size_t slots = 16;
    while (slots < 2 * (size_t)PyDict_GET_SIZE(self->fields))
        slots *= 2;
    if (slots != self->mask + 1 || self->seen_key == NULL) {
        forget_seen(self);
        self->seen_key = PyMem_Calloc(slots, sizeof(PyObject *));
        self->seen_field = PyMem_Calloc(slots, sizeof(Field *));
        if (self->seen_key == NULL || self->seen_field == NULL) {
            forget_seen(self);
            return PyErr_NoMemory();
        }
        self->mask = slots - 1;
    }
    Py_RETURN_NONE;
}

static PyMethodDef Plan_methods[] = {
    {"add", (PyCFunction)Plan_add, METH_VARARGS,
     "add(key, name, code, item, lo, hi, sub, index, implicit): how to read JSON key `key`."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject PlanType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "s3m_grpc.fastcodec._jsonclean.Plan",
    .tp_basicsize = sizeof(Plan),
    .tp_dealloc = (destructor)Plan_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "How to check and clean the JSON object of one message class.",
    .tp_methods = Plan_methods,
    .tp_new = Plan_new,
};

static void Field_dealloc(Field *self) {
    Py_XDECREF(self->name);
    Py_XDECREF(self->sub);
    PyObject_Free(self);
}

static PyTypeObject FieldType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "s3m_grpc.fastcodec._jsonclean.Field",
    .tp_basicsize = sizeof(Field),
    .tp_dealloc = (destructor)Field_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "How to read one JSON key of a message.",
};

/* -- the module ---------------------------------------------------------------------------- */

static PyObject *mod_clean(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyObject_TypeCheck(args[0], &PlanType)) {
        PyErr_SetString(PyExc_TypeError, "clean(plan, obj)");
        return NULL;
    }
    if (odd_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "setup(odd, json_float) was not called");
        return NULL;
    }
    return clean((Plan *)args[0], args[1], 0);
}

static PyObject *mod_setup(PyObject *module, PyObject *args) {
    PyObject *odd_arg, *json_float_arg;
    if (!PyArg_ParseTuple(args, "OO:setup", &odd_arg, &json_float_arg))
        return NULL;
    if (!PyExceptionClass_Check(odd_arg) || !PyCallable_Check(json_float_arg)) {
        PyErr_SetString(PyExc_TypeError, "setup(exception class, callable)");
        return NULL;
    }
    Py_XSETREF(odd_type, Py_NewRef(odd_arg));
    Py_XSETREF(json_float, Py_NewRef(json_float_arg));
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"clean", (PyCFunction)(void (*)(void))mod_clean, METH_FASTCALL,
     "clean(plan, obj): obj checked and cleaned for protobuf JSON (obj itself if unchanged); "
     "raises Odd for a value to read the exact way."},
    {"setup", mod_setup, METH_VARARGS,
     "setup(odd, json_float): the exception raised for odd values, the float32 writer."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "s3m_grpc.fastcodec._jsonclean",
    .m_doc = "The JSON writer's check and clean-up, in C (see _generic.py's json_clean).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__jsonclean(void) {
    if (PyType_Ready(&PlanType) < 0 || PyType_Ready(&FieldType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Plan", (PyObject *)&PlanType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
