/* Optional compiled speed-ups for lgcontent.text: sentences, words and syllables.
 *
 * Splitting every block into sentences and counting their words and syllables is the
 * largest single share of a check (about a sixth of it). This module does the same in C
 * and gives the same results, character for character: lgcontent/text.py holds the
 * reference in Python, which runs wherever this module was not built, and the tests hold
 * the two alike. What is hard to say twice (which full stops end a sentence, syllables of
 * words that are not plain ASCII) is left to the Python code, called back from here.
 *
 * Words are what the regex [^\W_]+(?:['’.\-&][^\W_]+)* finds: Python's regex engine reads
 * [^\W_] as Py_UNICODE_ISALNUM and \s as Py_UNICODE_ISSPACE, as this module does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <string.h>

/* Set once by configure(): the Sentence type, the Python syllable counter (for words
 * that are not ASCII), the full stop test, and the syllable exceptions. */
static PyObject *sentence_type = NULL;
static PyObject *fallback_syllables = NULL;
static PyObject *ends_sentence = NULL;

#define MAX_WORD 64 /* longer ASCII words go to the Python counter */

typedef struct {
    char word[MAX_WORD];
    Py_ssize_t length;
    long count;
} Exception_;

static Exception_ *exceptions = NULL;
static Py_ssize_t n_exceptions = 0;

/* Py_UNICODE_ISALNUM, without its table lookups for ASCII (most of every page). */
static inline int is_alnum(Py_UCS4 c)
{
    if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return Py_UNICODE_ISALNUM(c);
}
static inline int is_stop(Py_UCS4 c) { return c == '.' || c == '!' || c == '?' || c == 0x2026; }
static inline int is_closer(Py_UCS4 c)
{
    return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == ')' || c == ']';
}
static inline int is_joiner(Py_UCS4 c)
{
    return c == '\'' || c == 0x2019 || c == '.' || c == '-' || c == '&';
}
static inline int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}
static inline int ends_with(const char *w, Py_ssize_t n, const char *suffix)
{
    Py_ssize_t k = (Py_ssize_t)strlen(suffix);
    return n >= k && memcmp(w + n - k, suffix, (size_t)k) == 0;
}

/* Exceptions are kept in order of length, then of their bytes, to be found by halving. */
static int compare_word(const char *a, Py_ssize_t a_length, const char *b, Py_ssize_t b_length)
{
    if (a_length != b_length) return a_length < b_length ? -1 : 1;
    return memcmp(a, b, (size_t)a_length);
}

static int compare_exceptions(const void *a, const void *b)
{
    const Exception_ *x = a, *y = b;
    return compare_word(x->word, x->length, y->word, y->length);
}

static long exception_count(const char *w, Py_ssize_t n)
{
    Py_ssize_t low = 0, high = n_exceptions;
    while (low < high) {
        Py_ssize_t middle = (low + high) / 2;
        int order = compare_word(exceptions[middle].word, exceptions[middle].length, w, n);
        if (order == 0) return exceptions[middle].count;
        if (order < 0) low = middle + 1;
        else high = middle;
    }
    return -1;
}

/* _SPLIT_PAIRS.findall(w): vowel pairs usually said as two syllables, found left to
 * right without overlapping, each place trying the regex's choices in its order:
 * [^t]i[ao] | ua | uo | eo(?!u) | ii | iet | ience | ium | ias?$ */
static long split_pairs(const char *w, Py_ssize_t n)
{
    long found = 0;
    Py_ssize_t p = 0;
    while (p < n) {
        char c = w[p], d = p + 1 < n ? w[p + 1] : 0, e = p + 2 < n ? w[p + 2] : 0;
        Py_ssize_t length = 0;
        if (c != 't' && d == 'i' && (e == 'a' || e == 'o')) length = 3;
        else if (c == 'u' && (d == 'a' || d == 'o')) length = 2;
        else if (c == 'e' && d == 'o' && e != 'u') length = 2;
        else if (c == 'i') {
            if (d == 'i') length = 2;
            else if (d == 'e' && e == 't') length = 3;
            else if (d == 'e' && e == 'n' && p + 4 < n && w[p + 3] == 'c' && w[p + 4] == 'e') length = 5;
            else if (d == 'u' && e == 'm') length = 3;
            else if (d == 'a' && e == 's' && p + 3 == n) length = 3;
            else if (d == 'a' && p + 2 == n) length = 2;
        }
        if (length) {
            found++;
            p += length;
        }
        else p++;
    }
    return found;
}

/* _NOT_SPLIT.search(w): [ct]ia[ln] | [stgn]ion | [cgxl]ious | tia$ */
static int not_split(const char *w, Py_ssize_t n)
{
    for (Py_ssize_t p = 1; p + 2 < n; p++) {
        if (w[p] != 'i') continue;
        char before = w[p - 1], next = w[p + 1], last = w[p + 2];
        if ((before == 'c' || before == 't') && next == 'a' && (last == 'l' || last == 'n')) return 1;
        if ((before == 's' || before == 't' || before == 'g' || before == 'n') && next == 'o' && last == 'n')
            return 1;
        if ((before == 'c' || before == 'g' || before == 'x' || before == 'l') && next == 'o' && last == 'u'
            && p + 3 < n && w[p + 3] == 's')
            return 1;
    }
    return n >= 3 && w[n - 3] == 't' && w[n - 2] == 'i' && w[n - 1] == 'a';
}

/* syllables() of text.py for a word of lower-case ASCII with the quotes and full stops
 * at its ends already stripped. */
static long ascii_syllables(const char *w, Py_ssize_t n)
{
    if (n == 0) return 0;
    long known = exception_count(w, n);
    if (known >= 0) return known;
    int letters_only = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (w[i] < 'a' || w[i] > 'z') { letters_only = 0; break; }
    }
    if (!letters_only) { /* each run of letters counts, and one more for each number */
        long total = 0;
        Py_ssize_t i = 0;
        while (i < n) {
            Py_ssize_t start = i;
            if (w[i] >= 'a' && w[i] <= 'z') {
                while (i < n && w[i] >= 'a' && w[i] <= 'z') i++;
                total += ascii_syllables(w + start, i - start);
            }
            else if (w[i] >= '0' && w[i] <= '9') {
                while (i < n && w[i] >= '0' && w[i] <= '9') i++;
                total += 1;
            }
            else i++;
        }
        return total > 1 ? total : 1;
    }
    if (w[n - 1] == 's') {
        known = exception_count(w, n - 1);
        if (known >= 0) return known;
    }
    if (n <= 3) return 1;
    const char *core = w[0] == 'y' ? w + 1 : w; /* a leading y is a consonant ("yes") */
    Py_ssize_t core_n = w[0] == 'y' ? n - 1 : n;
    long count = 0;
    for (Py_ssize_t i = 0; i < core_n; i++) {
        if (is_vowel(core[i]) && (i == 0 || !is_vowel(core[i - 1]))) count++;
    }
    if (w[n - 1] == 'e') {
        int sounded_le = n >= 3 && w[n - 2] == 'l' && !is_vowel(w[n - 3]);
        if (!ends_with(w, n, "ee") && !ends_with(w, n, "ye") && !sounded_le) count--;
    }
    else if (ends_with(w, n, "es")) {
        char before = n >= 3 ? w[n - 3] : 0;
        int sounded = (before && strchr("sxzcg", before) != NULL)
                      || (before == 'h' && n >= 4 && (w[n - 4] == 'c' || w[n - 4] == 's'))
                      || (before == 'l' && n >= 4 && !is_vowel(w[n - 4]));
        if (!sounded) count--;
    }
    else if (ends_with(w, n, "ed")) {
        if (!(n >= 3 && (w[n - 3] == 't' || w[n - 3] == 'd'))) count--;
    }
    /* "lately", "statement": an e before these endings, after a consonant, is silent.
     * No word has two of the endings, so the first found is the only one. */
    Py_ssize_t ending = ends_with(w, n, "ly") ? 2 : ends_with(w, n, "ment") ? 4 : ends_with(w, n, "ments") ? 5
                        : ends_with(w, n, "ful") ? 3 : ends_with(w, n, "ness") ? 4 : ends_with(w, n, "less") ? 4 : 0;
    if (ending && n >= ending + 2 && w[n - ending - 1] == 'e' && !is_vowel(w[n - ending - 2])) count--;
    if (!not_split(w, n)) count += split_pairs(w, n);
    return count > 1 ? count : 1;
}

/* Syllables of text[start:end]: in C when the word is ASCII, else by the Python counter. */
static long word_syllables(PyObject *text, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    char buffer[MAX_WORD];
    Py_ssize_t n = end - start;
    int ascii = n <= MAX_WORD;
    for (Py_ssize_t i = 0; ascii && i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, start + i);
        if (c >= 128) ascii = 0;
        else buffer[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    if (ascii) {
        Py_ssize_t first = 0;
        while (first < n && (buffer[first] == '\'' || buffer[first] == '.')) first++;
        while (n > first && (buffer[n - 1] == '\'' || buffer[n - 1] == '.')) n--;
        return ascii_syllables(buffer + first, n - first);
    }
    PyObject *word = PyUnicode_Substring(text, start, end);
    if (word == NULL) return -1;
    PyObject *count = PyObject_CallOneArg(fallback_syllables, word);
    Py_DECREF(word);
    if (count == NULL) return -1;
    long value = PyLong_AsLong(count);
    Py_DECREF(count);
    return value;
}

/* Add the sentence text[begin:end], white space trimmed, unless it is only white space. */
static int append_sentence(PyObject *result, PyObject *text, int kind, const void *data,
                           Py_ssize_t begin, Py_ssize_t end)
{
    Py_ssize_t s = begin, e = end;
    while (s < e && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, s))) s++;
    while (e > s && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e - 1))) e--;
    if (s == e) return 0;
    long n_words = 0, n_syllables = 0;
    Py_ssize_t i = s;
    while (i < e) {
        if (!is_alnum(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t word_start = i;
        for (;;) {
            while (i < e && is_alnum(PyUnicode_READ(kind, data, i))) i++;
            if (i + 1 < e && is_joiner(PyUnicode_READ(kind, data, i))
                && is_alnum(PyUnicode_READ(kind, data, i + 1))) {
                i++;
                continue;
            }
            break;
        }
        long value = word_syllables(text, kind, data, word_start, i);
        if (value == -1 && PyErr_Occurred()) return -1;
        n_words++;
        n_syllables += value;
    }
    PyObject *args[5] = {PyLong_FromSsize_t(s), PyLong_FromSsize_t(e), PyUnicode_Substring(text, s, e),
                         PyLong_FromLong(n_words), PyLong_FromLong(n_syllables)};
    PyObject *sentence = NULL;
    if (args[0] && args[1] && args[2] && args[3] && args[4])
        sentence = PyObject_Vectorcall(sentence_type, args, 5, NULL);
    for (int k = 0; k < 5; k++) Py_XDECREF(args[k]);
    if (sentence == NULL) return -1;
    int failed = PyList_Append(result, sentence);
    Py_DECREF(sentence);
    return failed;
}

/* Whether the full stop text[begin:end] ends a sentence, asked of text.py. */
static int full_stop_ends(PyObject *text, Py_ssize_t begin, Py_ssize_t end)
{
    PyObject *args[3] = {text, PyLong_FromSsize_t(begin), PyLong_FromSsize_t(end)};
    PyObject *verdict = NULL;
    if (args[1] && args[2]) verdict = PyObject_Vectorcall(ends_sentence, args, 3, NULL);
    Py_XDECREF(args[1]);
    Py_XDECREF(args[2]);
    if (verdict == NULL) return -1;
    int yes = PyObject_IsTrue(verdict);
    Py_DECREF(verdict);
    return yes;
}

static int configured(void)
{
    if (sentence_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "lgcontent._speedups is not configured");
        return 0;
    }
    return 1;
}

static PyObject *split_sentences(PyObject *Py_UNUSED(module), PyObject *text)
{
    if (!configured()) return NULL;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "split_sentences() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *result = PyList_New(0);
    if (result == NULL) return NULL;
    /* The stops of _SENTENCE_END_RE: a line break; or stops, then closing quotes and
     * brackets, before white space or the end. */
    Py_ssize_t begin = 0, i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_ssize_t j = i + 1;
        if (c != '\n') {
            if (!is_stop(c)) {
                i++;
                continue;
            }
            while (j < n && is_stop(PyUnicode_READ(kind, data, j))) j++;
            while (j < n && is_closer(PyUnicode_READ(kind, data, j))) j++;
            if (j < n && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j))) {
                i++;
                continue;
            }
            if (c == '.') {
                int yes = full_stop_ends(text, i, j);
                if (yes < 0) goto fail;
                if (!yes) {
                    i = j;
                    continue;
                }
            }
        }
        if (append_sentence(result, text, kind, data, begin, j) < 0) goto fail;
        begin = i = j;
    }
    if (append_sentence(result, text, kind, data, begin, n) < 0) goto fail;
    PyObject *tuple = PyList_AsTuple(result);
    Py_DECREF(result);
    return tuple;
fail:
    Py_DECREF(result);
    return NULL;
}

static PyObject *syllables(PyObject *Py_UNUSED(module), PyObject *word)
{
    if (!configured()) return NULL;
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "syllables() needs a str");
        return NULL;
    }
    long value = word_syllables(word, PyUnicode_KIND(word), PyUnicode_DATA(word), 0, PyUnicode_GET_LENGTH(word));
    if (value == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLong(value);
}

static PyObject *configure(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *sentence, *fallback, *ends, *table;
    if (!PyArg_ParseTuple(args, "OOOO!", &sentence, &fallback, &ends, &PyDict_Type, &table)) return NULL;
    Py_ssize_t size = PyDict_Size(table);
    Exception_ *copied = PyMem_Calloc((size_t)(size ? size : 1), sizeof(Exception_));
    if (copied == NULL) return PyErr_NoMemory();
    Py_ssize_t position = 0, k = 0;
    PyObject *key, *value;
    while (PyDict_Next(table, &position, &key, &value)) {
        Py_ssize_t length;
        const char *word = PyUnicode_Check(key) ? PyUnicode_AsUTF8AndSize(key, &length) : NULL;
        long count = PyLong_Check(value) ? PyLong_AsLong(value) : -1;
        if (word == NULL || length > MAX_WORD || count < 0) {
            PyMem_Free(copied);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "syllable exceptions must map short words to counts");
            return NULL;
        }
        memcpy(copied[k].word, word, (size_t)length);
        copied[k].length = length;
        copied[k].count = count;
        k++;
    }
    qsort(copied, (size_t)k, sizeof(Exception_), compare_exceptions);
    PyMem_Free(exceptions);
    exceptions = copied;
    n_exceptions = k;
    Py_INCREF(sentence);
    Py_INCREF(fallback);
    Py_INCREF(ends);
    Py_XSETREF(sentence_type, sentence);
    Py_XSETREF(fallback_syllables, fallback);
    Py_XSETREF(ends_sentence, ends);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(Sentence, syllables, ends_sentence, exceptions): what the C code asks of text.py."},
    {"split_sentences", split_sentences, METH_O, "split_sentences(text): text.sentences, in C."},
    {"syllables", syllables, METH_O, "syllables(word): text.syllables, in C for ASCII words."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "lgcontent._speedups", "Compiled speed-ups for lgcontent.text.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
